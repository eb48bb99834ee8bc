/** One `## ` release heading of a Keep a Changelog file, with byte offsets into the text. */
export interface ChangelogRelease {
  /** `Unreleased` or the version as written (without a `v`). */
  name: string;
  /** The date of the heading (`YYYY-MM-DD`), if any. */
  date: string | undefined;
  /** Offset of the `## ` heading line. */
  headingStart: number;
  /** Offset just after the heading line (after its newline). */
  headingEnd: number;
  /** Offset where the section's body ends (next heading, the link block, or end of text). */
  end: number;
}

/** A `[label]: url` link reference definition. */
export interface ChangelogLink {
  label: string;
  url: string;
  start: number;
  /** Offset just after the line (after its newline). */
  end: number;
  urlStart: number;
  urlEnd: number;
}

export interface Changelog {
  text: string;
  /** In document order (newest first in a Keep a Changelog file). */
  releases: ChangelogRelease[];
  links: ChangelogLink[];
  /** Offset of the first link definition of the trailing link block, or text.length. */
  footerStart: number;
  /** "\r\n" when the file uses it, else "\n". */
  eol: string;
}

// `(?=(…))\2` takes the version's tail once (an atomic group): it cannot trade characters with `(.*)`.
const HEADING = /^##[ \t]+\[?(unreleased|v?\d+\.\d+\.(?=(\d+[^\]\s()]*))\2)\]?(?:\([^)]*\))?(.*)$/i;
const DATE = /\b(\d{4}-\d{2}-\d{2})\b/;
const LINK = /^\[([^\]]+)\]:[ \t]*(\S+)/;
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;

/**
 * Reads a Keep a Changelog file in one linear pass, keeping the offsets of every heading and
 * link so edits splice only their region and leave the rest byte for byte. Never throws.
 */
export const parseChangelog = (text: string): Changelog => {
  const releases: ChangelogRelease[] = [];
  const links: ChangelogLink[] = [];
  let open: ChangelogRelease | undefined;
  let inFence = false;
  let blockStart = -1; // start of the current run of link/blank lines
  let blockLink = -1; // first link definition of that run
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const next = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, nl < 0 ? text.length : nl).replace(/\r$/, "");
    let blankOrLink = false;
    if (FENCE.test(line)) inFence = !inFence;
    else if (!inFence && line.startsWith("## ")) {
      if (open) open.end = pos;
      open = undefined;
      const heading = HEADING.exec(line);
      if (heading) {
        const name = /^unreleased$/i.test(heading[1]!) ? "Unreleased" : heading[1]!.replace(/^v/, "");
        open = {
          name,
          date: DATE.exec(heading[3] ?? "")?.[1],
          headingStart: pos,
          headingEnd: next,
          end: text.length,
        };
        releases.push(open);
      }
    } else if (!inFence) {
      const link = LINK.exec(line);
      if (link) {
        const urlStart = pos + line.indexOf(link[2]!, link[1]!.length + 3);
        links.push({
          label: link[1]!,
          url: link[2]!,
          start: pos,
          end: next,
          urlStart,
          urlEnd: urlStart + link[2]!.length,
        });
        blankOrLink = true;
        if (blockLink < 0) blockLink = pos;
      } else blankOrLink = line.trim() === "";
    }
    if (blankOrLink) {
      if (blockStart < 0) blockStart = pos;
    } else {
      blockStart = -1;
      blockLink = -1;
    }
    pos = next;
  }
  // Blank lines before the links stay with the last section, as between any two sections.
  const footerStart = blockStart >= 0 && blockLink >= 0 ? blockLink : text.length;
  if (open && open.end > footerStart) open.end = footerStart;
  return { text, releases, links, footerStart, eol: text.includes("\r\n") ? "\r\n" : "\n" };
};

/** The newest release with a version (the first below Unreleased), if any. */
export const newestRelease = (changelog: Changelog): ChangelogRelease | undefined =>
  changelog.releases.find((r) => r.name !== "Unreleased");

export const findRelease = (changelog: Changelog, name: string): ChangelogRelease | undefined => {
  const wanted = /^unreleased$/i.test(name) ? "Unreleased" : name.replace(/^v/, "");
  return changelog.releases.find((r) => r.name === wanted);
};

/** The notes of one release (or `Unreleased`), trimmed; undefined when there is no such section. */
export const getSection = (changelog: Changelog, version: string): string | undefined => {
  const release = findRelease(changelog, version);
  return release ? changelog.text.slice(release.headingEnd, release.end).trim() : undefined;
};
