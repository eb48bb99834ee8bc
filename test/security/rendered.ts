import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * What GitHub would make live of a Markdown text (CommonMark + GFM, as GitHub renders comments
 * and check-run summaries): raw HTML, images, links (GFM autolink literals included), and the
 * `@` words of plain text, which GitHub turns into mentions (code spans and code blocks are
 * never scanned for mentions: https://docs.github.com/en/get-started/writing-on-github).
 */
export const liveParts = (markdown: string): { html: string[]; links: string[]; mentions: string[] } => {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const live = { html: [] as string[], links: [] as string[], mentions: [] as string[] };
  const walk = (node: Nodes): void => {
    if (node.type === "html") live.html.push(node.value);
    if (node.type === "image" || node.type === "link" || node.type === "definition")
      live.links.push(node.url);
    if (node.type === "text") live.mentions.push(...(node.value.match(/@[\w-]+(?:\/[\w-]+)?/g) ?? []));
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return live;
};
