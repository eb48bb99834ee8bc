import { describe, expect, it } from "@jest/globals";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { renderLogin, renderUserProse, renderUserText } from "../../src/domain/user-text.js";

// Renders as GitHub does (CommonMark + GFM) and lists every inline node of the result, so a
// test sees what a reader would: one inline code node and nothing else means inert text.
const inlineNodes = (markdown: string): { type: string; value?: string }[] => {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const out: { type: string; value?: string }[] = [];
  const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
    if (node.type !== "root" && node.type !== "paragraph") out.push({ type: node.type, value: node.value });
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(tree);
  return out;
};

const HOSTILE = [
  "@org/everyone",
  "<img src=x onerror=alert(1)>",
  "[x](https://evil.example)",
  "www.evil.example",
  "`` ` ```` break ` out",
  "`leading and trailing`",
  "line one\nline two\r\n\n# heading",
  "<!-- hidden -->",
  "**bold** _it_ ~~gone~~ ![i](https://evil.example/i.png)",
  "\u202Eevil\u200D",
  "| a | b |",
];

describe("renderUserText", () => {
  it.each(HOSTILE)("shows %p as one inert code span holding the text", (text) => {
    const rendered = renderUserText(text);
    const nodes = inlineNodes(`Reason: ${rendered} done`);
    expect(nodes.map((n) => n.type)).toEqual(["text", "inlineCode", "text"]);
    expect(nodes[0]!.value).toBe("Reason: ");
    expect(nodes[2]!.value).toBe(" done");
    const shown = nodes[1]!.value!;
    expect(shown).not.toMatch(/[\r\n\u202E\u200D]/);
    // The text is all there, with blanks and unshowable characters replaced.
    expect(shown.replace(/\uFFFD/g, "")).toBe(text.replace(/[\r\n]/g, " ").replace(/[\u202E\u200D]/g, ""));
  });

  it("keeps a table cell whole once the table escapes its pipes", () => {
    const cell = renderUserText("a | b", { inTable: true });
    const tree = fromMarkdown(`| x |\n| - |\n| ${cell} |`, {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    });
    expect(JSON.stringify(tree)).toContain('"type":"inlineCode","value":"a | b"');
  });

  it("bounds the text and says it was cut", () => {
    expect(renderUserText("x".repeat(1000))).toBe(`\`${"x".repeat(200)}…\``);
    expect(renderUserText("abcdef", { max: 3 })).toBe("`abc…`");
  });

  it("shows empty or blank text as (empty), never as an empty span", () => {
    expect(renderUserText("")).toBe("(empty)");
    expect(renderUserText("\n\t ")).toBe("(empty)");
  });
});

describe("renderLogin", () => {
  it.each([
    ["octocat", "@octocat"],
    ["dependabot-preview", "@dependabot-preview"],
    ["org/everyone", "`org/everyone`"],
    ["@org/everyone", "`@org/everyone`"],
    ["-leading", "`-leading`"],
    ["trailing-", "`trailing-`"],
    ["two--hyphens", "`two--hyphens`"],
    ["a".repeat(40), `\`${"a".repeat(40)}\``],
  ])("renders %p as %p", (login, expected) => {
    expect(renderLogin(login)).toBe(expected);
  });
});

describe("renderUserProse", () => {
  it("keeps a commit subject readable while no mention, HTML or image survives", () => {
    const text = renderUserProse("Fix login for @org/everyone and @octocat <img src=x> ![i](x.png)");
    expect(text).toBe("Fix login for `@org/everyone` and `@octocat` \\<img src=x> !\\[i](x.png)");
    const nodes = inlineNodes(text);
    expect(nodes.filter((n) => n.type === "html" || n.type === "image")).toEqual([]);
    expect(nodes.filter((n) => n.type === "inlineCode").map((n) => n.value)).toEqual([
      "@org/everyone",
      "@octocat",
    ]);
  });

  it("leaves e-mail addresses and plain text alone and stays on one line", () => {
    expect(renderUserProse("mail ops@example.com about it")).toBe("mail ops@example.com about it");
    expect(renderUserProse("one\ntwo")).toBe("one two");
  });
});
