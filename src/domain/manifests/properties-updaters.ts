import { formatLike, versionOfValue } from "./value-format.js";
import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

/** Where a line states its version: the value, and the offset in the line where it starts. */
interface VersionSpan {
  index: number;
  start: number;
  value: string;
}

/**
 * The span of a `version` match whose pattern captures (1) the text before the value, (2) a
 * quote or indent, (3) the value; none when a group did not take part in the match.
 */
const spanOf = (index: number, match: RegExpExecArray): VersionSpan[] => {
  const [, lead, between, value] = match;
  if (lead === undefined || between === undefined || value === undefined) return [];
  return [{ index, start: match.index + lead.length + between.length, value }];
};

/** A line-based updater for `version` keys: `versionLines` says which lines hold it and where the value is. */
const lineUpdater = (
  kind: string,
  names: readonly string[],
  versionLines: (lines: string[]) => VersionSpan[],
  notes: (lines: string[]) => string[] = () => [],
): VersionFileUpdater => ({
  kind,
  matches: (path) => names.includes(baseName(path)),
  readVersion(text) {
    for (const { value } of versionLines(splitLines(text))) {
      const version = versionOfValue(value);
      if (version !== undefined) return version;
    }
    return undefined;
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const { index, start, value } of versionLines(lines)) {
      const line = lines[index];
      const next = formatLike(value, version);
      if (line === undefined || next === undefined) continue;
      lines[index] = line.slice(0, start) + next + line.slice(start + value.length);
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
    return match ? spanOf(index, match) : [];
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
    const header = SECTION.exec(line)?.[1];
    if (header !== undefined) section = header.trim();
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
  (lines) =>
    metadataLines(lines, CFG_VERSION)
      .flatMap(({ index, match }) => spanOf(index, match))
      .filter(({ value }) => !/^(?:attr|file):?$/.test(value)),
  (lines) =>
    metadataLines(lines, CFG_DIRECTIVE).flatMap(({ match: [, directive] }) =>
      directive === undefined
        ? []
        : [`[metadata] version = ${directive} is read from elsewhere; left as it is`],
    ),
);

const WHOLE = /^()([ \t]*)(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\s*$/;

/** A `VERSION` / `version.txt` file holding only the version (and a newline). */
export const plainVersionUpdater = lineUpdater("version-txt", ["VERSION", "version.txt"], (lines) => {
  const content = lines.filter((l) => l.trim() !== "");
  const [only] = content;
  if (content.length !== 1 || only === undefined) return [];
  const match = WHOLE.exec(only.replace(/\r?\n$/, ""));
  return match ? spanOf(lines.indexOf(only), match) : [];
});
