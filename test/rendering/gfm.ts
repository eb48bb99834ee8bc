import { spawnSync } from "node:child_process";

/**
 * GitHub's own Markdown renderer, `cmark-gfm` (https://github.com/github/cmark-gfm; Debian
 * package cmark-gfm), with the extensions github.com turns on for comments and PR bodies: tables,
 * strikethrough, autolinks, task lists and the tag filter (GitHub Flavored Markdown spec,
 * https://github.github.com/gfm/). `.ci/run` installs it when it is missing; under CI a missing
 * binary fails the tests instead of skipping them.
 */
export const cmarkAvailable = (): boolean => spawnSync("cmark-gfm", ["--version"]).status === 0;

export const requireCmarkInCi = (): boolean => {
  const available = cmarkAvailable();
  if (!available && process.env.CI)
    throw new Error("cmark-gfm is not on PATH: install it (apt-get install -y cmark-gfm); .ci/run does");
  if (!available) console.warn("cmark-gfm not found on PATH: skipping the rendering tests");
  return available;
};

export const renderGfm = (markdown: string): string => {
  const run = spawnSync(
    "cmark-gfm",
    [
      "--extension",
      "table",
      "--extension",
      "strikethrough",
      "--extension",
      "autolink",
      "--extension",
      "tasklist",
      "--extension",
      "tagfilter",
    ],
    { input: markdown, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`cmark-gfm failed: ${run.stderr}`);
  return run.stdout;
};

/** The HTML's text with tags removed and code spans/blocks dropped (markers there are literal). */
export const proseText = (html: string): string =>
  html
    .replace(/<pre[\s\S]*?<\/pre>/g, " ")
    .replace(/<code>[\s\S]*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&[a-z]+;|&#\d+;/g, " ");

/** Markdown syntax that survived rendering: a sign the source was malformed. */
export const rawMarkers = (html: string): string[] => {
  const text = proseText(html);
  const found: string[] = [];
  for (const [name, pattern] of [
    ["bold **", /\*\*/],
    ["heading #", /(^|\n)\s*#{1,6}\s/],
    ["table pipe", /\s\|\s/],
    ["backtick", /`/],
    ["link bracket", /\]\(/],
  ] as const)
    if (pattern.test(text)) found.push(name);
  return found;
};

export interface Table {
  header: string[];
  rows: string[][];
}

const cells = (row: string, tag: "th" | "td"): string[] =>
  [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]!.trim());

/** Every rendered table: header cells and body rows (cell HTML). */
export const tables = (html: string): Table[] =>
  [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, body]) => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(body!)?.[1] ?? "";
    const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(body!)?.[1] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
    return { header: cells(head, "th"), rows: rows.map(([, row]) => cells(row!, "td")) };
  });

export const headings = (html: string): string[] =>
  [...html.matchAll(/<h(\d)>([\s\S]*?)<\/h\1>/g)].map(
    ([, level, text]) => `h${level} ${text!.replace(/<[^>]+>/g, "")}`,
  );

/** Text of each paragraph and list item, tags removed. */
export const blocks = (html: string): string[] =>
  [...html.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)].map(([, , text]) => text!.replace(/<[^>]+>/g, "").trim());
