import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

const TABLE = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/;
const VERSION = /^(\s*version\s*=\s*)(["'])([^"'\n]*)\2/;
const VERSION_TABLES = new Set(["project", "tool.poetry"]);

/** Finds `version = "…"` lines inside `[project]` or `[tool.poetry]` (line edits keep comments). */
const versionLines = (lines: string[]): number[] => {
  const found: number[] = [];
  let table = "";
  lines.forEach((line, index) => {
    const header = TABLE.exec(line)?.[1];
    if (header !== undefined)
      table = header
        .trim()
        .replace(/(?<!\s)\s*\.\s*/g, ".")
        .replace(/"/g, "");
    else if (VERSION_TABLES.has(table) && VERSION.test(line)) found.push(index);
  });
  return found;
};

export const pyprojectUpdater: VersionFileUpdater = {
  kind: "pyproject",
  matches: (path) => baseName(path) === "pyproject.toml",
  readVersion(text) {
    const lines = splitLines(text);
    const first = versionLines(lines)[0];
    const line = first === undefined ? undefined : lines[first];
    return line === undefined ? undefined : VERSION.exec(line)?.[3];
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const index of versionLines(lines)) {
      const line = lines[index];
      if (line === undefined) continue;
      lines[index] = line.replace(VERSION, (_m, lead: string, q: string) => `${lead}${q}${version}${q}`);
    }
    return lines.join("");
  },
};
