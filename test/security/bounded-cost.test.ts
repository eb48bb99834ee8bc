import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";
import { checklistSection } from "../../src/config/sections/checklist-section.js";
import { loadConfig, MAX_CONFIG_LENGTH } from "../../src/config/load-config.js";
import { evaluateGate } from "../../src/domain/checklist/gate-registry.js";
import { MAX_BODY_LENGTH } from "../../src/domain/checklist/gates/compliance-gate.js";
import { MAX_CHANGELOG_LENGTH } from "../../src/domain/checklist/gates/docs-gate.js";
import { parseTaskList } from "../../src/domain/checklist/task-list.js";
import type { GateId, GateInputs, GateResult } from "../../src/domain/checklist/types.js";
import { generateNotes } from "../../src/domain/changelog/generate-notes.js";
import { MAX_COMMENT_LENGTH } from "../../src/domain/commands/command-lines.js";
import { parseCommand } from "../../src/domain/commands/parse-command.js";
import { matchesGlob } from "../../src/domain/glob.js";
import { parseConventionalCommit } from "../../src/domain/version/conventional-commit.js";

// Attack 5 of the security issue. No test here times anything (a loaded machine makes timings
// lie): linearity is held by structure (a linear-time regex engine for globs, a lint rule that
// rejects super-linear regexes, caps before parsing), and each crafted input of the report is
// checked for the right answer.

const run = <K extends GateId>(id: K, input: GateInputs[K]): GateResult =>
  evaluateGate(id, { ok: true, value: input }, checklistSection.parse({}));

describe("regexes cannot backtrack super-linearly", () => {
  it("lint holds every file of src/ to eslint-plugin-regexp's two rules, as errors", async () => {
    const eslint = new ESLint();
    for (const file of ["src/domain/checklist/task-list.ts", "src/domain/version/conventional-commit.ts"]) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> };
      expect(config.rules["regexp/no-super-linear-backtracking"]?.[0]).toBe(2);
      expect(config.rules["regexp/no-super-linear-move"]?.[0]).toBe(2);
    }
  });

  it("the rule rejects the task-list regex the report measured (1.4 s)", async () => {
    const eslint = new ESLint();
    const [result] = await eslint.lintText(
      "export const TASK = /^\\s*(?:[-*+]|\\d+[.)])\\s+\\[([ xX])\\]\\s+(.*?)\\s*$/;\n",
      { filePath: "src/domain/checklist/task-list.ts" },
    );
    expect(result?.messages.map((m) => m.ruleId)).toContain("regexp/no-super-linear-backtracking");
  });
});

describe("the crafted inputs of the report get the right answer", () => {
  it("a check glob of 8 stars against a 60-character check name (37.7 s before)", () => {
    expect(matchesGlob("a*a*a*a*a*a*a*a*b", "a".repeat(60), "name")).toBe(false);
    const result = run("tests", {
      checks: [{ name: "a".repeat(60), state: "success", source: "check-run", url: "https://x/1" }],
    });
    expect(result.status).toBe("missing");
  });

  it("a task-list line of 50,000 blanks (1.4 s before)", () => {
    const body = `- [x]${" ".repeat(50_000)}done${" ".repeat(50_000)}\n- [ ] ${"\t ".repeat(25_000)}`;
    expect(parseTaskList(body)).toEqual([
      { checked: true, text: "done" },
      { checked: false, text: "" },
    ]);
  });

  it("a commit subject of 50,000 blanks before a PR number (0.8 s before)", () => {
    const message = `fix: a${" ".repeat(50_000)}(#1 x`;
    expect(parseConventionalCommit(message)).toMatchObject({ type: "fix", breaking: false });
    const notes = generateNotes([{ sha: "1", message, files: ["a.py"] }], []);
    expect(notes.groups.Fixed).toHaveLength(1);
  });
});

describe("user files are capped before they are parsed", () => {
  const reader = (text: string) => async () => text;
  const repo = { owner: "o", repo: "r" };

  it("a config over 128 KiB is refused unparsed (a 10 MB YAML took 7.7 s)", async () => {
    const huge = `release:\n  versionFiles:\n${"    - a\n".repeat(1_300_000)}`;
    expect(huge.length).toBeGreaterThan(10_000_000);
    const loaded = await loadConfig(reader(huge), repo);
    expect(loaded).toMatchObject({ ok: false, errors: [expect.stringContaining("longer than 131072")] });
    const fits = `release:\n  versionFiles:\n${"    - a\n".repeat((MAX_CONFIG_LENGTH - 40) / 8)}`;
    expect((await loadConfig(reader(fits), repo)).ok).toBe(true);
  });

  it("a CHANGELOG over 1 MiB fails the docs gate unread", () => {
    const result = run("docs", {
      version: "1.2.0",
      changelog: `## [1.2.0]\n- x\n${"a".repeat(MAX_CHANGELOG_LENGTH)}`,
      lastTag: null,
      changedFiles: [],
    });
    expect(result.status).not.toBe("pass");
    expect(result.summary).toContain("not read");
  });

  it("a PR body over 65,536 characters fails the compliance gate unread", () => {
    const result = run("compliance", { body: `- [x] ok\n${"x".repeat(MAX_BODY_LENGTH)}` });
    expect(result.status).not.toBe("pass");
    expect(run("compliance", { body: "- [x] ok\n" }).status).toBe("pass");
  });

  it("a comment over 65,536 characters is not parsed as Markdown", () => {
    expect(parseCommand(`/deploy staging\n${"*a".repeat(MAX_COMMENT_LENGTH)}`)).toEqual({ kind: "none" });
  });
});
