import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

const TABLE = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/;
const VERSION = /^(\s*version\s*=\s*)(["'])([^"'\n]*)\2/;
const INHERITED = /^\s*version\s*(?:\.\s*workspace\s*=\s*true|=\s*\{\s*workspace\s*=\s*true\s*\})/;
const VERSION_TABLES = new Set(["package", "workspace.package"]);

const tableName = (header: string): string =>
  header
    .trim()
    .replace(/(?<!\s)\s*\.\s*/g, ".")
    .replace(/"/g, "");

/** The `version` lines of `[package]` and `[workspace.package]`, and the inherited ones (`version.workspace = true`). */
const scan = (lines: string[]): { own: number[]; inherited: boolean } => {
  const own: number[] = [];
  let inherited = false;
  let table = "";
  lines.forEach((line, index) => {
    const header = TABLE.exec(line)?.[1];
    if (header !== undefined) table = tableName(header);
    else if (table === "package" && INHERITED.test(line)) inherited = true;
    else if (VERSION_TABLES.has(table) && VERSION.test(line)) own.push(index);
  });
  return { own, inherited };
};

/**
 * Cargo manifests (doc.rust-lang.org/cargo/reference/manifest.html and
 * …/workspaces.html#the-package-table): `[package] version`, and a workspace's
 * `[workspace.package] version` that members inherit with `version.workspace = true`.
 * A member that inherits states no version of its own: the root's edit covers it, and the plan
 * says so. Line edits, so comments and layout stay.
 */
export const cargoTomlUpdater: VersionFileUpdater = {
  kind: "cargo",
  matches: (path) => baseName(path) === "Cargo.toml",
  readVersion(text) {
    const lines = splitLines(text);
    const first = scan(lines).own[0];
    const line = first === undefined ? undefined : lines[first];
    return line === undefined ? undefined : VERSION.exec(line)?.[3];
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const index of scan(lines).own) {
      const line = lines[index];
      if (line === undefined) continue;
      lines[index] = line.replace(VERSION, (_m, lead: string, q: string) => `${lead}${q}${version}${q}`);
    }
    return lines.join("");
  },
  notes: (text) =>
    scan(splitLines(text)).inherited
      ? ["inherits the workspace's version (`version.workspace = true`); the workspace root's is bumped"]
      : [],
};
