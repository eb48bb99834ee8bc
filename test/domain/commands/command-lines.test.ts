import { describe, expect, it } from "@jest/globals";
import { findCommandLines, MAX_NESTING, mayHoldCommand } from "../../../src/domain/commands/command-lines.js";
import { parseCommand } from "../../../src/domain/commands/parse-command.js";

const DEPLOY = "/deploy production";

// What GitHub renders, per the CommonMark spec (0.31.2) and GitHub Flavored Markdown spec:
// fenced code (§4.5) closes only on a fence of the same character at least as long as the
// opening one; indented code (§4.4); HTML blocks (§4.6) run to their end condition (`-->` for a
// comment, a blank line for `<details>`); block quotes (§5.1). None of them shows a command.
describe("a command hidden from the rendered comment is no command", () => {
  it.each([
    ["a ~~~ fence holding ``` lines", `~~~\n\`\`\`\n${DEPLOY}\n\`\`\`\n~~~`],
    ["a ~~~ fence whose ``` line does not close it", `~~~\n\`\`\`\n${DEPLOY}\n~~~`],
    ["a four-backtick fence holding ```", `\`\`\`\`\n\`\`\`\n${DEPLOY}\n\`\`\`\n\`\`\`\``],
    ["a fence never closed", `\`\`\`\n${DEPLOY}`],
    ["a fence indented by three spaces", `   \`\`\`\n${DEPLOY}\n   \`\`\``],
    ["indented code", `text\n\n    ${DEPLOY}\n`],
    ["a one-line HTML comment", `<!-- ${DEPLOY} -->`],
    ["a multi-line HTML comment", `hello\n\n<!--\n${DEPLOY}\n-->`],
    ["an HTML comment opened after text", `note <!--\n${DEPLOY}\n-->`],
    ["a <details> HTML block", `<details>\n${DEPLOY}\n</details>`],
    ["a block quote", `> ${DEPLOY}`],
    ["a lazy block-quote line", `> quoted\n${DEPLOY}`],
    ["a list item's lazy line", `- item\n${DEPLOY}`],
    ["a code span across lines", `run \`this\n${DEPLOY}\` later`],
    ["an escaped slash", `\\${DEPLOY}`],
    ["a setext heading", `${DEPLOY}\n---`],
    ["a table cell", `| a |\n| - |\n| ${DEPLOY} |`],
    ["a CRLF fence", `\`\`\`\r\n${DEPLOY}\r\n\`\`\`\r\n`],
    ["a CR-only fence", `\`\`\`\r${DEPLOY}\r\`\`\``],
  ])("%s", (_, body) => {
    expect(findCommandLines(body)).toEqual([]);
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });
});

describe("a command GitHub shows at the start of a line is found", () => {
  it.each([
    ["alone", DEPLOY],
    ["after a closed fence", `\`\`\`\n/rollback production\n\`\`\`\n${DEPLOY}`],
    ["after a closed ~~~ fence holding ```", `~~~\n\`\`\`\n~~~\n\n${DEPLOY}`],
    ["after a closed HTML comment", `<!-- a note -->\n\n${DEPLOY}`],
    ["on the line after a paragraph line (a soft break)", `Ready to go.\n${DEPLOY}`],
    ["in a paragraph after a <details> block", `<details>\nlogs\n</details>\n\n${DEPLOY}`],
    ["with CRLF line endings", `Ready.\r\n${DEPLOY}\r\nthanks\r\n`],
    ["with a trailing inline code span", `${DEPLOY} \`ignored\``],
  ])("%s", (_, body) => {
    expect(findCommandLines(body)).toHaveLength(1);
    expect(findCommandLines(body)[0]!.trimEnd().startsWith("/deploy production")).toBe(true);
  });

  it("parses the command found after a soft break", () => {
    expect(parseCommand(`Ready to go.\n${DEPLOY}`)).toMatchObject({
      kind: "command",
      command: { name: "deploy", env: "production" },
    });
  });

  it("counts a command in a fence and one outside as one command", () => {
    expect(parseCommand(`\`\`\`\n/rollback production\n\`\`\`\n${DEPLOY}`)).toMatchObject({
      kind: "command",
      command: { name: "deploy" },
    });
  });
});

describe("the cheap pre-check", () => {
  it("says no line starts with a slash without parsing Markdown", () => {
    expect(mayHoldCommand("LGTM, see https://example.com/a/b")).toBe(false);
    expect(mayHoldCommand("a / b")).toBe(false);
    expect(mayHoldCommand("/deploy")).toBe(true);
    expect(mayHoldCommand("text\n/deploy")).toBe(true);
    expect(mayHoldCommand("text\r/deploy")).toBe(true);
  });

  it("finds nothing in a comment nesting quotes or lists deeper than any command needs", () => {
    expect(findCommandLines(`${"> ".repeat(MAX_NESTING + 1)}x\n${DEPLOY}`)).toEqual([]);
    expect(findCommandLines(`${"- 1. ".repeat(20)}x\n${DEPLOY}`)).toEqual([]);
    expect(findCommandLines(`${"> ".repeat(MAX_NESTING)}x\n\n${DEPLOY}`)).toEqual([DEPLOY]);
    expect(findCommandLines(`1. 2. 3. x\n\n${DEPLOY}`)).toEqual([DEPLOY]);
  });

  it("finds nothing in a 1 MB comment", () => {
    const body = `${"/deploy production\n".repeat(55_000)}`;
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(findCommandLines(body)).toEqual([]);
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });
});
