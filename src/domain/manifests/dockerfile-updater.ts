import { baseName, splitLines, type VersionFileUpdater } from "./version-file-updater.js";

// `version=` and `org.opencontainers.image.version=` inside LABEL instructions, quoted or bare.
const KEY = /(^|\s)((?:org\.opencontainers\.image\.)?version)(\s*=\s*)(["']?)([^"'\s\\]+)\4/gi;
const LABEL = /^\s*LABEL\s/i;

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

export const dockerfileUpdater: VersionFileUpdater = {
  kind: "dockerfile",
  matches: (path) => /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.Dockerfile$/i.test(baseName(path)),
  readVersion(text) {
    const lines = splitLines(text);
    for (const index of labelLines(lines)) {
      const line = lines[index];
      if (line === undefined) continue;
      KEY.lastIndex = 0;
      const match = KEY.exec(line);
      if (match) return match[5];
    }
    return undefined;
  },
  updateContent(text, version) {
    const lines = splitLines(text);
    for (const index of labelLines(lines)) {
      const line = lines[index];
      if (line === undefined) continue;
      lines[index] = line.replace(
        KEY,
        (_m, pre: string, key: string, eq: string, q: string) => `${pre}${key}${eq}${q}${version}${q}`,
      );
    }
    return lines.join("");
  },
};
