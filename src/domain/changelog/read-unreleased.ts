import { blocksOf, findRelease, type Changelog, type ChangelogBlock } from "./parse-changelog.js";

/** What the Unreleased section holds, read as Markdown rather than as bytes. */
export interface UnreleasedReading {
  /** The entries to release (sub-headings with entries under them), trimmed; "" when none. */
  notes: string;
  /** What stays under Unreleased once released: roadmap sections, comments, an empty template. */
  keep: string;
  /** Why `notes` is empty, when it is (for the plan's notes source). */
  emptyBecause: string | undefined;
}

/** Sub-headings of what is planned, not done: they stay under Unreleased and are never released. */
const ROADMAP =
  /^(?:planned|upcoming|roadmap|future(?: work| plans)?|coming(?: soon| next)?|next(?: up| steps)?|todo|to ?do|ideas|backlog|wishlist|in progress|work in progress|wip|not yet released)\b/i;
/** Entries that only say there are none. */
const PLACEHOLDER =
  /^(?:[-–—*_.…]+|n\/?a|none(?: yet| so far)?|nothing(?: yet| so far)?|no (?:notable |user[- ]facing )?changes?(?: yet| so far)?|tbd|tba|todo|\.\.\.|coming soon|\(empty\))[.!]?$/i;
const COMMENT_ONLY = /^\s*(?:<!--[\s\S]*?-->\s*)+$/;

const isPlaceholder = (text: string): boolean => {
  const bare = text.replace(/[*_`]/g, "").trim();
  return bare === "" || PLACEHOLDER.test(bare);
};

/** Whether a block carries a real entry (not a rule, comment, link definition or placeholder). */
const isEntry = (block: ChangelogBlock, text: string): boolean => {
  switch (block.type) {
    case "thematicBreak":
    case "definition":
    case "heading":
      return false;
    case "html":
      return !COMMENT_ONLY.test(text.slice(block.start, block.end));
    case "list":
      return (block.items ?? []).some((item) => !isPlaceholder(item));
    case "paragraph":
      return !isPlaceholder(block.text);
    default:
      return true;
  }
};

interface Group {
  heading: ChangelogBlock | undefined;
  blocks: ChangelogBlock[];
}

/**
 * Reads `## [Unreleased]` for its meaning: only rules (`---`), empty sub-headings, HTML comments
 * and placeholders ("None yet.") mean it is empty; a roadmap sub-section (`### Planned`, …) is
 * kept where it is and never released.
 */
export const readUnreleased = (changelog: Changelog): UnreleasedReading | undefined => {
  const unreleased = findRelease(changelog, "Unreleased");
  if (!unreleased) return undefined;
  const { text, eol } = changelog;
  let current: Group = { heading: undefined, blocks: [] };
  const groups: Group[] = [current];
  for (const block of blocksOf(changelog, unreleased)) {
    if (block.type === "heading") {
      current = { heading: block, blocks: [] };
      groups.push(current);
    } else current.blocks.push(block);
  }
  const released: string[] = [];
  const kept: string[] = [];
  let roadmapDepth: number | undefined;
  let emptyHeadings = 0;
  let roadmap = false;
  let rulesOrComments = false;
  groups.forEach((group, index) => {
    const depth = group.heading?.depth ?? 0;
    if (roadmapDepth !== undefined && depth > roadmapDepth) {
      kept.push(slice(text, group));
      return;
    }
    roadmapDepth = undefined;
    if (group.heading && ROADMAP.test(group.heading.text)) {
      roadmapDepth = depth;
      roadmap = true;
      kept.push(slice(text, group));
      return;
    }
    const entries = group.blocks.filter((b) => isEntry(b, text));
    for (const b of group.blocks) {
      if (!entries.includes(b) && (b.type === "thematicBreak" || b.type === "html")) rulesOrComments = true;
      if (b.type === "html" && !entries.includes(b) && group.heading === undefined)
        kept.push(text.slice(b.start, b.end));
    }
    const first = entries[0];
    const last = entries.at(-1);
    if (first === undefined || last === undefined) {
      // A parent heading whose deeper sub-headings hold the entries goes with them.
      const next = groups[index + 1];
      const parent = next?.heading !== undefined && (next.heading.depth ?? 0) > depth;
      if (group.heading && parent && next.blocks.some((b) => isEntry(b, text)))
        released.push(headingLine(text, group.heading));
      else if (group.heading) emptyHeadings++;
      return;
    }
    const start = group.heading?.start ?? first.start;
    released.push(text.slice(start, last.end).trim());
  });
  const notes = released.join(`${eol}${eol}`).trim();
  if (notes !== "" && emptyHeadings > 0) {
    // A template of empty sub-headings is put back, as the maintainer keeps it.
    const template = groups.flatMap(({ heading }) =>
      heading && !ROADMAP.test(heading.text) && (heading.depth ?? 0) >= 3 ? [headingLine(text, heading)] : [],
    );
    kept.unshift(template.join(`${eol}${eol}`));
  }
  const why = [
    emptyHeadings > 0 ? "empty sub-headings" : "",
    rulesOrComments ? "rules or comments" : "",
    roadmap ? "a roadmap kept for later" : "",
  ].filter((w) => w !== "");
  return {
    notes,
    keep: kept.filter((k) => k.trim() !== "").join(`${eol}${eol}`),
    emptyBecause:
      notes !== ""
        ? undefined
        : why.length > 0
          ? `Unreleased holds only ${why.join(", ")}`
          : "Unreleased is empty",
  };
};

const headingLine = (text: string, heading: ChangelogBlock): string =>
  text.slice(heading.start, heading.end).trim();

const slice = (text: string, group: Group): string => {
  const start = group.heading?.start ?? group.blocks[0]?.start;
  const last = group.blocks.filter((b) => b.type !== "thematicBreak").at(-1) ?? group.heading;
  return start === undefined || last === undefined ? "" : text.slice(start, last.end).trim();
};
