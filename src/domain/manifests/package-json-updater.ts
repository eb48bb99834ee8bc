import { baseName, type VersionFileUpdater } from "./version-file-updater.js";

/**
 * Locates the value of the top-level `"version"` key by scanning the JSON text, so the edit
 * touches only those bytes (indentation, key order and trailing newline stay).
 */
const findTopLevelVersion = (text: string): { start: number; end: number } | undefined => {
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === "{" || ch === "[") {
      depth++;
      expectKey = ch === "{";
      i++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      i++;
    } else if (ch === ",") {
      expectKey = true;
      i++;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      const isKey = expectKey && depth === 1;
      expectKey = false;
      if (isKey && text.slice(i + 1, end) === "version") {
        const value = /^\s*:\s*"/.exec(text.slice(end + 1, end + 64));
        if (!value) return undefined;
        const start = end + 1 + value[0].length;
        const close = stringEnd(text, start - 1);
        return close < 0 ? undefined : { start, end: close };
      }
      i = end + 1;
    } else i++;
  }
  return undefined;
};

/** Index of the closing quote of the string opening at `open`, or -1. */
const stringEnd = (text: string, open: number): number => {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return -1;
};

export const packageJsonUpdater: VersionFileUpdater = {
  kind: "package-json",
  matches: (path) => baseName(path) === "package.json",
  readVersion(text) {
    const at = findTopLevelVersion(text);
    return at ? text.slice(at.start, at.end) : undefined;
  },
  updateContent(text, version) {
    const at = findTopLevelVersion(text);
    return at ? text.slice(0, at.start) + version + text.slice(at.end) : text;
  },
};
