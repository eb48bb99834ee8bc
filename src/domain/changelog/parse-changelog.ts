import type { Nodes, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString as plainText } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";

/** One release heading of a Keep a Changelog file, with byte offsets into the text. */
export interface ChangelogRelease {
  /** `Unreleased` or the version as written (without a `v`). */
  name: string;
  /** The date of the heading as written (`2025-01-02`, `January 2, 2025`, …), if any. */
  date: string | undefined;
  /** The heading line as written, without its line ending (the file's heading style). */
  heading: string;
  /** Heading level (2 in a Keep a Changelog file). */
  depth: number;
  /** Offset of the heading line. */
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

/** A top-level Markdown block, as the CommonMark parser saw it. */
export interface ChangelogBlock {
  /** The mdast node type: `heading`, `list`, `paragraph`, `thematicBreak`, `html`, `code`, `definition`, … */
  type: string;
  /** Heading level, for headings. */
  depth: number | undefined;
  /** Offset of the block's first line. */
  start: number;
  /** Offset just after the block's last character (before its line ending). */
  end: number;
  /** Plain text content (heading text, paragraph text, list items' text). */
  text: string;
  /** For lists: each item's plain text. */
  items: string[] | undefined;
}

export interface Changelog {
  text: string;
  /** In document order (newest first in a Keep a Changelog file). */
  releases: ChangelogRelease[];
  links: ChangelogLink[];
  /** Top-level blocks in document order; headings inside comments, code or HTML are not blocks. */
  blocks: ChangelogBlock[];
  /** Offset of the first link definition of the trailing link block, or text.length. */
  footerStart: number;
  /** "\r\n" when the file uses it, else "\n". */
  eol: string;
}

// `(?=(…))\2` takes the version's tail once (an atomic group): it cannot trade characters with `(.*)`.
const RELEASE_NAME = /^\[?(unreleased|v?\d+\.\d+\.(?=(\d[^\]\s()]*))\2)\]?(?:\([^)]*\))?(.*)$/i;
const MONTHS =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
/** Dates as changelogs write them: ISO, slashed, dotted, `January 2, 2025`, `2 January 2025`. */
export const DATE = new RegExp(
  `\\b(\\d{4}-\\d{2}-\\d{2}|\\d{4}/\\d{2}/\\d{2}|\\d{2}\\.\\d{2}\\.\\d{4}|${MONTHS}\\.? \\d{1,2}, \\d{4}|\\d{1,2} ${MONTHS}\\.? \\d{4})\\b`,
);
const LINK = /^[ \t]{0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)/;

/**
 * The text of an ATX heading line (CommonMark 4.2: up to three spaces, 1–6 `#`, a space, the
 * text, an optional closing run of `#` after a space), read without a backtracking regex.
 */
const atxHeadingText = (line: string): string | undefined => {
  const open = /^[ \t]{0,3}#{1,6}(?=[ \t])/.exec(line);
  if (!open) return undefined;
  let text = line.slice(open[0].length).trim();
  const closing = /(?:^|[ \t])#+$/.exec(text);
  if (closing) text = text.slice(0, closing.index).trimEnd();
  return text;
};

const lineStart = (text: string, offset: number): number => text.lastIndexOf("\n", offset - 1) + 1;
const lineEnd = (text: string, offset: number): number => {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl + 1;
};

// Parsing Markdown is linear but not cheap. A release reads the newest part of a file (Unreleased,
// the newest releases, their style); past this size, the older releases are only scanned for
// their headings and link definitions, outside fenced code.
const PARSED = 256 * 1024;
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;

/** Where Markdown parsing stops: the first `## ` line past PARSED outside a fence, or the end. */
const cutPoint = (text: string): number => {
  if (text.length <= PARSED) return text.length;
  let inFence = false;
  let pos = 0;
  while (pos < text.length) {
    const next = lineEnd(text, pos);
    const line = text.slice(pos, next);
    if (FENCE.test(line)) inFence = !inFence;
    else if (!inFence && pos >= PARSED && line.startsWith("## ")) return pos;
    pos = next;
  }
  return text.length;
};

/** The part past the cut, line by line: headings, link definitions, and other lines as paragraphs. */
const scanOldReleases = (text: string, from: number): ChangelogBlock[] => {
  const blocks: ChangelogBlock[] = [];
  let inFence = false;
  let pos = from;
  while (pos < text.length) {
    const next = lineEnd(text, pos);
    const line = text.slice(pos, next).replace(/\r?\n$/, "");
    const end = pos + line.length;
    const block = (type: string, depth?: number): ChangelogBlock => ({
      type,
      depth,
      start: pos,
      end,
      text: line.replace(/^#+\s*/, "").trim(),
      items: undefined,
    });
    if (FENCE.test(line)) {
      inFence = !inFence;
      blocks.push(block("code"));
    } else if (inFence || line.trim() === "") {
      if (inFence) blocks.push(block("code"));
    } else if (/^#{1,6}[ \t]/.test(line))
      blocks.push(block("heading", line.length - line.replace(/^#+/, "").length));
    else if (LINK.test(line)) blocks.push(block("definition"));
    else blocks.push(block("paragraph"));
    pos = next;
  }
  return blocks;
};

/** A block of the parsed part; undefined for a node without offsets (mdast gives every node them). */
const toBlock = (node: RootContent, text: string): ChangelogBlock | undefined => {
  const startOffset = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (startOffset === undefined || end === undefined) return undefined;
  const start = lineStart(text, startOffset);
  const items =
    node.type === "list" ? node.children.map((item) => plainText(item as Nodes).trim()) : undefined;
  const raw = node.type === "html" || node.type === "code" ? "" : plainText(node as Nodes);
  return {
    type: node.type,
    depth: node.type === "heading" ? node.depth : undefined,
    start,
    end,
    text: raw.trim(),
    items,
  };
};

/**
 * Reads a Keep a Changelog file as Markdown (CommonMark with GitHub's extensions, through
 * mdast-util-from-markdown), so a heading inside an HTML comment, a code block or HTML is never
 * taken for a release. Keeps the offsets of every heading and link, so edits splice only their
 * region and leave the rest byte for byte. Never throws.
 */
export const parseChangelog = (text: string): Changelog => {
  // A plan reads the same text several times (version sources, notes, style, links): the last
  // few results are kept, as parsing is the costly part. Changelog values are never mutated.
  const cached = recent.find((c) => c.text === text);
  if (cached) return cached;
  const parsed = parseUncached(text);
  recent.unshift(parsed);
  recent.length = Math.min(recent.length, 4);
  return parsed;
};

const recent: Changelog[] = [];

const parseUncached = (text: string): Changelog => {
  const cut = cutPoint(text);
  let nodes: RootContent[] = [];
  try {
    const source = cut < text.length ? text.slice(0, cut) : text;
    nodes = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }).children;
  } catch {
    nodes = [];
  }
  const blocks = nodes.flatMap((n) => toBlock(n, text) ?? []);
  blocks.push(...scanOldReleases(text, cut));
  const releases: ChangelogRelease[] = [];
  const links: ChangelogLink[] = [];
  let open: ChangelogRelease | undefined;
  for (const block of blocks) {
    if (block.type === "heading" && block.depth !== undefined && block.depth <= 2) {
      if (open) open.end = block.start;
      open = undefined;
      const first = text.slice(block.start, lineEnd(text, block.start)).replace(/\r?\n$/, "");
      const name = RELEASE_NAME.exec(atxHeadingText(first) ?? first.trim());
      const title = name?.[1];
      if (block.depth === 2 && name && title !== undefined) {
        open = {
          name: /^unreleased$/i.test(title) ? "Unreleased" : title.replace(/^v/, ""),
          date: DATE.exec(name[3] ?? "")?.[1],
          heading: first,
          depth: 2,
          headingStart: block.start,
          headingEnd: lineEnd(text, block.end),
          end: text.length,
        };
        releases.push(open);
      }
    } else if (block.type === "definition") {
      const line = text.slice(block.start, lineEnd(text, block.start));
      const [, label, url] = LINK.exec(line) ?? [];
      if (label !== undefined && url !== undefined) {
        const urlStart = block.start + line.indexOf(url, line.indexOf("]:") + 2);
        links.push({
          label,
          url,
          start: block.start,
          end: lineEnd(text, block.end),
          urlStart,
          urlEnd: urlStart + url.length,
        });
      }
    }
  }
  let footerStart = text.length;
  for (const block of blocks.toReversed()) {
    if (block.type !== "definition") break;
    footerStart = block.start;
  }
  // Blank lines before the links stay with the last section, as between any two sections.
  if (open && open.end > footerStart) open.end = footerStart;
  return { text, releases, links, blocks, footerStart, eol: text.includes("\r\n") ? "\r\n" : "\n" };
};

/** The newest release with a version (the first below Unreleased), if any. */
export const newestRelease = (changelog: Changelog): ChangelogRelease | undefined =>
  changelog.releases.find((r) => r.name !== "Unreleased");

export const findRelease = (changelog: Changelog, name: string): ChangelogRelease | undefined => {
  const wanted = /^unreleased$/i.test(name) ? "Unreleased" : name.replace(/^v/, "");
  return changelog.releases.find((r) => r.name === wanted);
};

/** The top-level blocks of a release's body. */
export const blocksOf = (changelog: Changelog, release: ChangelogRelease): ChangelogBlock[] =>
  changelog.blocks.filter((b) => b.start >= release.headingEnd && b.start < release.end);

/** The notes of one release (or `Unreleased`), trimmed; undefined when there is no such section. */
export const getSection = (changelog: Changelog, version: string): string | undefined => {
  const release = findRelease(changelog, version);
  return release ? changelog.text.slice(release.headingEnd, release.end).trim() : undefined;
};
