/**
 * A pure updater for one kind of file that carries a version. `readVersion` returns undefined
 * when the file holds no version, so the plan reports it instead of editing it blindly;
 * `updateContent` changes only the version text, leaving formatting and comments alone.
 */
export interface VersionFileUpdater {
  readonly kind: string;
  matches(path: string): boolean;
  /** The version the file states, normalised (`v1.2.0` → `1.2.0`); undefined when it states none. */
  readVersion(text: string): string | undefined;
  updateContent(text: string, version: string, context?: UpdateContext): string;
  /**
   * What the file holds that a bump leaves alone on purpose (a `${VERSION}` label, a version
   * inherited from a workspace), one sentence each, for the plan to report.
   */
  notes?(text: string): string[];
}

/** Rules a few formats need besides the new version. */
export interface UpdateContext {
  /** How a Helm chart's own `version` moves when its `appVersion` follows a release. */
  chartVersion?: ChartVersionRule | undefined;
}

/** `patch`/`minor`: the chart's own version gets that bump; `release`: set to the release; `keep`. */
export type ChartVersionRule = "patch" | "minor" | "release" | "keep";

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

/**
 * One file edited by two updaters (an all-in-one manifest holding several services' images):
 * both apply, so no service is left on its old tag.
 */
export const combineUpdaters = (
  first: VersionFileUpdater,
  second: VersionFileUpdater,
): VersionFileUpdater => ({
  kind: `${first.kind}+${second.kind}`,
  matches: (path) => first.matches(path) || second.matches(path),
  readVersion: (text) => first.readVersion(text) ?? second.readVersion(text),
  updateContent: (text, version, context) =>
    second.updateContent(first.updateContent(text, version, context), version, context),
  notes: (text) => [...(first.notes?.(text) ?? []), ...(second.notes?.(text) ?? [])],
});
