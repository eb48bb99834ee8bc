/**
 * A pure updater for one kind of file that carries a version. `readVersion` returns undefined
 * when the file holds no version, so the plan reports it instead of editing it blindly;
 * `updateContent` changes only the version text, leaving formatting and comments alone.
 */
export interface VersionFileUpdater {
  readonly kind: string;
  matches(path: string): boolean;
  readVersion(text: string): string | undefined;
  updateContent(text: string, version: string): string;
}

/** The last path segment. */
export const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Splits text into lines keeping each line's terminator, so joining gives the text back byte for byte. */
export const splitLines = (text: string): string[] => {
  // A scan, not a regex: `[^\n]+$` tried from every position of a long last line is quadratic.
  const lines: string[] = [];
  let start = 0;
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
};
