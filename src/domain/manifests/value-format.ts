/**
 * The shape of a version value as a file writes it, so a bump keeps it: a `v` prefix
 * (`image: …:v2.0.0`, `appVersion: "v0.10.6"`), a flavour suffix (`1.4.0-alpine`), or a variable
 * (`${VERSION}`, `$VERSION`, `{{ .Chart.AppVersion }}`, `$(VERSION)`, `@VERSION@`) that is set
 * elsewhere and must never become a literal.
 */

// Shell/Make/Compose/envsubst `${X}` `$X` `$(X)`, Go/Helm templates `{{ … }}`, Maven/Gradle `@x@`, `%{x}`.
const VARIABLE = /\$\{|\$\(|\$[A-Za-z_]|\{\{|%\{|@[A-Za-z_][\w.]*@/;
const SHAPE = /^([vV]?)((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*))((?:[-+][0-9A-Za-z.+_-]*)?)$/;
// SemVer pre-releases (`-rc.1`, `-beta`, `-0.3.7`) are part of the version; other suffixes are flavours.
const PRERELEASE = /^-(?:alpha|beta|rc|pre|preview|dev|snapshot|canary|next|nightly|\d)[0-9A-Za-z.-]*$/i;

export const isVariable = (raw: string): boolean => VARIABLE.test(raw);

interface Parts {
  prefix: string;
  /** `X.Y.Z` plus a SemVer pre-release, build metadata dropped. */
  version: string;
  /** A flavour suffix kept on bumps (`-alpine`, `-slim-bookworm`). */
  suffix: string;
}

const partsOf = (raw: string): Parts | undefined => {
  const [, prefix, core, tail] = SHAPE.exec(raw) ?? [];
  if (prefix === undefined || core === undefined || tail === undefined) return undefined;
  const plus = tail.indexOf("+");
  const rest = plus === -1 ? tail : tail.slice(0, plus);
  if (rest === "") return { prefix, version: core, suffix: "" };
  if (PRERELEASE.test(rest)) {
    // `1.2.0-rc.1-alpine` is beyond what a tag states reliably: the pre-release runs to the end.
    return { prefix, version: core + rest, suffix: "" };
  }
  return { prefix, version: core, suffix: rest };
};

/** The version a value states (`v0.10.6` → `0.10.6`, `2.0.0-alpine` → `2.0.0`), or undefined. */
export const versionOfValue = (raw: string): string | undefined =>
  isVariable(raw) ? undefined : partsOf(raw)?.version;

/**
 * `version` written the way `raw` was (`v0.10.6` + 0.11.0 → `v0.11.0`, `1.4.0-alpine` + 1.5.0 →
 * `1.5.0-alpine`); undefined when `raw` is a variable or no version (left as it is).
 */
export const formatLike = (raw: string, version: string): string | undefined => {
  if (isVariable(raw)) return undefined;
  const parts = partsOf(raw);
  return parts === undefined ? undefined : `${parts.prefix}${version}${parts.suffix}`;
};
