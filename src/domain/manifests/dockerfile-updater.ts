import { formatLike, isVariable, versionOfValue } from "./value-format.js";
import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

// `version=` and `org.opencontainers.image.version=` inside LABEL instructions, quoted or bare.
const KEY = /(^|\s)((?:org\.opencontainers\.image\.)?version)(\s*=\s*)(["']?)([^"'\s\\]+)\4/gi;
const LABEL = /^\s*LABEL\s/i;
// `${VERSION}`, `${VERSION:-1.0.0}` or `$VERSION` (Dockerfile reference, "Environment replacement").
const REFERENCE = /^\$\{?([A-Za-z_]\w*)(?::?[-+][^}]*)?\}?$/;

/** Indices of the lines belonging to LABEL instructions (continuation lines included). */
const labelLines = (lines: string[]): number[] => {
  const found: number[] = [];
  let inLabel = false;
  lines.forEach((line, index) => {
    const trimmed = line.replace(/\r?\n$/, "");
    if (!inLabel && !LABEL.test(trimmed)) return;
    if (!inLabel && trimmed.trimStart().startsWith("#")) return;
    found.push(index);
    inLabel = trimmed.endsWith("\\");
  });
  return found;
};

const labelValues = (text: string): { key: string; raw: string }[] => {
  const lines = splitLines(text);
  return labelLines(lines).flatMap((index) =>
    [...(lines[index] ?? "").matchAll(KEY)].flatMap(([, , key, , , raw]) =>
      key === undefined || raw === undefined ? [] : [{ key, raw }],
    ),
  );
};

/** `ARG NAME=default` / `ENV NAME=value`: where a label's `${NAME}` gets its literal, if anywhere. */
const definition = (name: string): RegExp =>
  new RegExp(`^([ \\t]*(?:ARG|ENV)[ \\t]+${name}[ \\t]*=[ \\t]*)(["']?)([^"'\\s\\\\]+)\\2`, "gim");

const referenced = (raw: string): string | undefined => REFERENCE.exec(raw)?.[1];

/**
 * Dockerfile LABEL versions. A literal is bumped in its own format; a `${VERSION}` reference is
 * never replaced by a literal: the `ARG VERSION=…`/`ENV VERSION=…` default it names is bumped
 * instead, and with no default (set by `--build-arg`) the plan says so.
 */
export const dockerfileUpdater: VersionFileUpdater = {
  kind: "dockerfile",
  matches: (path) => /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.Dockerfile$/i.test(baseName(path)),
  readVersion(text) {
    for (const { raw } of labelValues(text)) {
      const name = referenced(raw);
      const literal = name === undefined ? raw : definition(name).exec(text)?.[3];
      const version = literal === undefined ? undefined : versionOfValue(literal);
      if (version !== undefined) return version;
    }
    return undefined;
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const index of labelLines(lines)) {
      const line = lines[index];
      if (line === undefined) continue;
      lines[index] = line.replace(KEY, (m, pre: string, key: string, eq: string, q: string, raw: string) => {
        const next = formatLike(raw, version);
        return next === undefined ? m : `${pre}${key}${eq}${q}${next}${q}`;
      });
    }
    let out = lines.join("");
    const names = new Set(labelValues(text).flatMap(({ raw }) => referenced(raw) ?? []));
    for (const name of names) {
      out = out.replace(definition(name), (m, lead: string, q: string, raw: string) => {
        const next = formatLike(raw, version);
        return next === undefined ? m : `${lead}${q}${next}${q}`;
      });
    }
    return out;
  },
  notes(text) {
    return labelValues(text).flatMap(({ key, raw }) => {
      if (!isVariable(raw)) return [];
      const name = referenced(raw);
      if (name !== undefined && definition(name).test(text)) return [];
      return [
        `LABEL ${key}=${raw} is set at build time${name === undefined ? "" : ` (\`--build-arg ${name}=…\`)`}; left as it is`,
      ];
    });
  },
};
