export interface ChangelogSection {
  heading: string;
  /** Bullet / text lines under the heading (sub-headings and link references excluded). */
  entries: string[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The `## [1.2.0] - 2025-01-15` section of a Keep a Changelog file, or null when absent. */
export const findChangelogSection = (markdown: string, version: string): ChangelogSection | null => {
  const bare = version.replace(/^v/, "");
  const heading = new RegExp(`^##\\s+\\[?v?${escape(bare)}\\]?(?:\\s|$)`);
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return null;
  const entries: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##?\s/.test(line)) break;
    const t = line.trim();
    if (t === "" || t.startsWith("#") || /^\[[^\]]+\]:\s/.test(t) || /^<!--.*-->$/.test(t)) continue;
    entries.push(t);
  }
  return { heading: lines[start]!.trim(), entries };
};
