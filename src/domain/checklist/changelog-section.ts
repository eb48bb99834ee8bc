export interface ChangelogSection {
  heading: string;
  /** Bullet / text lines under the heading (sub-headings and link references excluded). */
  entries: string[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const levelOf = (line: string): number | undefined => /^(#{1,6})\s/.exec(line)?.[1]?.length;
const VERSION_HEADING = /^#{1,6}\s+\[?(v?\d+\.\d+\.\d+|unreleased\b)/i;

/**
 * The section of a version in a changelog, or null when absent. Reads Keep a Changelog
 * (`## [1.2.0] - 2025-01-15`, `### Added` inside) and conventional-changelog
 * (`## [1.2.0](compare-link) (2025-01-15)`, `### [1.2.1](…)` for patches, `### Bug Fixes` inside).
 */
export const findChangelogSection = (markdown: string, version: string): ChangelogSection | null => {
  const bare = version.replace(/^v/, "");
  const heading = new RegExp(`^#{1,3}\\s+\\[?v?${escape(bare)}(?:\\]|\\s|$)`);
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => heading.test(l));
  const headingLine = lines[start];
  const level = headingLine === undefined ? undefined : levelOf(headingLine);
  if (headingLine === undefined || level === undefined) return null;
  const entries: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const l = levelOf(line);
    // The next release's heading, or a heading above this one, ends the section.
    if (l !== undefined && (VERSION_HEADING.test(line) || l < level || (l === level && level <= 2))) break;
    const t = line.trim();
    if (t === "" || t.startsWith("#") || /^\[[^\]]+\]:\s/.test(t) || /^<!--.*-->$/.test(t)) continue;
    entries.push(t);
  }
  return { heading: headingLine.trim(), entries };
};
