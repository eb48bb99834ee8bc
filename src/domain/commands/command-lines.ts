import type { Nodes, Paragraph, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { MAX_COMMENT_LENGTH, mayHoldCommand } from "./may-hold-command.js";

export { MAX_COMMENT_LENGTH, mayHoldCommand };

/**
 * Inline constructs that cannot hide a line are turned off: micromark resolves emphasis, links
 * and GFM's inline extensions with a cost that grows with the square of the delimiters (32,000
 * `*a` took minutes), and a line inside emphasis or a link is shown anyway. Code spans and
 * inline HTML stay: they hide what they hold.
 */
const VISIBLE_ANYWAY = {
  disable: {
    null: [
      "attention",
      "labelStartImage",
      "labelStartLink",
      "labelEnd",
      "characterReference",
      "strikethrough",
      "gfmFootnoteCall",
      "gfmPotentialFootnoteCall",
      "emailAutolink",
      "protocolAutolink",
      "wwwAutolink",
    ],
  },
};

/** More block quotes or list items open on one line than this: not a comment giving a command. */
export const MAX_NESTING = 32;

/**
 * Whether some line opens more than {@link MAX_NESTING} containers (`> > > …`, `- - 1. …`):
 * micromark's cost grows with the square of the nesting (16,000 `> ` on one line took
 * seconds), and no command needs it. One pass, no regular expression.
 */
const nestsTooDeep = (body: string): boolean => {
  let depth = 0;
  let leading = true;
  for (const c of body) {
    if (c === "\n" || c === "\r") {
      depth = 0;
      leading = true;
    } else if (!leading || c === " " || c === "\t") continue;
    else if (c === ">" || c === "-" || c === "*" || c === "+" || c === "." || c === ")") {
      if (++depth > MAX_NESTING) return true;
    } else if (c < "0" || c > "9") leading = false;
  }
  return false;
};

// micromark counts lines at `\r\n`, `\r` and `\n` (CommonMark §2.1, "line ending").
const LINE_ENDING = /\r\n|\r|\n/;

/**
 * The lines of a comment that GitHub shows as text starting with `/` at the start of a line.
 *
 * The comment is parsed as GitHub renders it (CommonMark plus GFM, the same micromark parser
 * the unified ecosystem uses) and a line counts only when it is a line of a top-level
 * paragraph, starts in plain text (not in a code span, inline HTML, a link or emphasis), and
 * its source starts with `/` in the first column (emphasis and links are not parsed: what they
 * hold is shown). Every other block hides it: fenced code of
 * any length (``` or ~~~, including one that holds shorter fences), indented code, HTML blocks
 * (`<!-- … -->` comments, which GitHub does not show, and `<details>` blocks), block quotes
 * (quoting a command is not giving it), lists, tables and headings. A command may be any line
 * of its paragraph (GitHub joins the lines of a paragraph with a soft break, but the README
 * promises "at the start of a line"). Returns the whole source lines, without line endings.
 */
export const findCommandLines = (body: string): string[] => {
  if (body.length > MAX_COMMENT_LENGTH || !mayHoldCommand(body) || nestsTooDeep(body)) return [];
  let tree: Root;
  try {
    tree = fromMarkdown(body, {
      extensions: [gfm(), VISIBLE_ANYWAY],
      mdastExtensions: [gfmFromMarkdown()],
    });
  } catch {
    return [];
  }
  const source = body.split(LINE_ENDING);
  const lines = new Set<number>();
  for (const block of tree.children) {
    if (block.type === "paragraph") for (const line of plainLineStarts(block)) lines.add(line);
  }
  return [...lines]
    .sort((a, b) => a - b)
    .map((line) => source[line - 1] ?? "")
    .filter((text) => text.startsWith("/"));
};

/** The (1-based) source lines on which a text node directly in the paragraph starts a line. */
const plainLineStarts = (paragraph: Paragraph): number[] => {
  const starts: number[] = [];
  for (const node of paragraph.children as Nodes[]) {
    if (node.type !== "text" || node.position === undefined) continue;
    const { line, column } = node.position.start;
    if (column === 1) starts.push(line);
    // Each soft line break inside the text starts the next source line in plain text.
    const breaks = node.value.split(LINE_ENDING).length - 1;
    for (let i = 1; i <= breaks; i++) starts.push(line + i);
  }
  return starts;
};
