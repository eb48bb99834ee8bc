import { formatLike, versionOfValue } from "./value-format.js";
import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

/** A line-based updater for `version` keys: `lineOf` says which lines hold it and where the value is. */
const lineUpdater = (
  kind: string,
  names: readonly string[],
  versionLines: (lines: string[]) => { index: number; match: RegExpExecArray }[],
  notes: (lines: string[]) => string[] = () => [],
): VersionFileUpdater => ({
  kind,
  matches: (path) => names.includes(baseName(path)),
  readVersion(text) {
    for (const { match } of versionLines(splitLines(text))) {
      const version = versionOfValue(match[3]!);
      if (version !== undefined) return version;
    }
    return undefined;
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const { index, match } of versionLines(lines)) {
      const next = formatLike(match[3]!, version);
      if (next === undefined) continue;
      const start = match.index + match[1]!.length + match[2]!.length;
      lines[index] = lines[index]!.slice(0, start) + next + lines[index]!.slice(start + match[3]!.length);
    }
    return lines.join("");
  },
  notes: (text) => notes(splitLines(text)),
});

// Java properties (docs.oracle.com/javase/8/docs/api/java/util/Properties.html#load): `key=value`,
// `key = value` or `key: value`; lines starting with # or ! are comments.
const PROPERTY = /^(\s*version\s*[=:]\s*)()([^\s#!]+)/;

/** Gradle's `gradle.properties` `version=1.2.0` (docs.gradle.org, "Project properties"). */
export const gradlePropertiesUpdater = lineUpdater("gradle-properties", ["gradle.properties"], (lines) =>
  lines.flatMap((line, index) => {
    const match = PROPERTY.exec(line);
    return match ? [{ index, match }] : [];
  }),
);

const SECTION = /^\s*\[([^\]]+)\]/;
const CFG_VERSION = /^(version\s*[=:]\s*)()(\S+)\s*$/;
const CFG_DIRECTIVE = /^version\s*[=:]\s*((?:attr|file):\s*\S+)/;

/** `version` lines of setup.cfg's `[metadata]` section. */
const metadataLines = (lines: string[], re: RegExp) => {
  const found: { index: number; match: RegExpExecArray }[] = [];
  let section = "";
  lines.forEach((line, index) => {
    const header = SECTION.exec(line);
    if (header) section = header[1]!.trim();
    else if (section === "metadata") {
      const match = re.exec(line.replace(/\r?\n$/, ""));
      if (match) found.push({ index, match });
    }
  });
  return found;
};

/**
 * setuptools' `setup.cfg` `[metadata] version = 1.2.0` (setuptools.pypa.io, "Configuring setuptools
 * using setup.cfg files"). `version = attr: pkg.__version__` or `file: VERSION` points elsewhere:
 * the plan says so and that file is the one to bump.
 */
export const setupCfgUpdater = lineUpdater(
  "setup-cfg",
  ["setup.cfg"],
  (lines) => metadataLines(lines, CFG_VERSION).filter(({ match }) => !/^(?:attr|file):?$/.test(match[3]!)),
  (lines) =>
    metadataLines(lines, CFG_DIRECTIVE).map(
      ({ match }) => `[metadata] version = ${match[1]!} is read from elsewhere; left as it is`,
    ),
);

const WHOLE = /^()([ \t]*)(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\s*$/;

/** A `VERSION` / `version.txt` file holding only the version (and a newline). */
export const plainVersionUpdater = lineUpdater("version-txt", ["VERSION", "version.txt"], (lines) => {
  const content = lines.filter((l) => l.trim() !== "");
  if (content.length !== 1) return [];
  const index = lines.indexOf(content[0]!);
  const match = WHOLE.exec(content[0]!.replace(/\r?\n$/, ""));
  return match ? [{ index, match }] : [];
});
