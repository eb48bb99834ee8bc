import { describe, expect, it } from "@jest/globals";
import { generateNotes } from "../../../src/domain/changelog/generate-notes.js";

const projects = [
  { name: "root", path: "" },
  { name: "BankChurn-Predictor", path: "BankChurn-Predictor" },
  { name: "CarVision-Market-Intelligence", path: "CarVision-Market-Intelligence" },
  { name: "TelecomAI-Customer-Intelligence", path: "TelecomAI-Customer-Intelligence" },
];

const commit = (sha: string, message: string, ...files: string[]) => ({ sha, message, files });

describe("generateNotes", () => {
  it("groups by Keep a Changelog section and scopes each line to the services touched", () => {
    const notes = generateNotes(
      [
        commit("a1", "feat(api): add batch prediction endpoint", "BankChurn-Predictor/src/bankchurn/api.py"),
        commit(
          "a2",
          "fix: memory leak in predictor\n\nlong body",
          "CarVision-Market-Intelligence/app.py",
          "TelecomAI-Customer-Intelligence/app.py",
        ),
        commit("a3", "chore(deps): update sklearn to 1.4.0", "BankChurn-Predictor/requirements.txt"),
        commit(
          "a4",
          "fix(deps): patch CVE-2024-1234 in requests",
          "TelecomAI-Customer-Intelligence/requirements.txt",
        ),
        commit("a5", "perf!: drop the v1 routes", "BankChurn-Predictor/api.py"),
        commit("a6", "ci: cache pip", ".github/workflows/ci.yml"),
        commit("a7", "Update README", "README.md"),
        commit("a8", "Merge pull request #12 from team/feat", "BankChurn-Predictor/x.py"),
        commit("a9", "deprecate: old /score endpoint", "TelecomAI-Customer-Intelligence/api.py"),
        commit("b1", "remove: legacy notebook", "docs/old.ipynb"),
        commit("b2", "docs: guide"),
      ],
      projects,
      [
        "feat(carvision): new market analysis dashboard (#14)",
        "feat(api): add batch prediction endpoint (#13)",
        "chore: tidy",
      ],
    );
    expect(notes.markdown).toBe(
      [
        "### Added",
        "",
        "- **BankChurn-Predictor**: Add batch prediction endpoint",
        "- **CarVision-Market-Intelligence**: New market analysis dashboard (#14)",
        "",
        "### Changed",
        "",
        "- **BankChurn-Predictor**: **Breaking:** Drop the v1 routes",
        "- Update `sklearn` to 1.4.0",
        "",
        "### Deprecated",
        "",
        "- **TelecomAI-Customer-Intelligence**: Old /score endpoint",
        "",
        "### Removed",
        "",
        "- Legacy notebook",
        "",
        "### Fixed",
        "",
        "- **CarVision-Market-Intelligence, TelecomAI-Customer-Intelligence**: Memory leak in predictor",
        "",
        "### Security",
        "",
        "- Patch CVE-2024-1234 in requests",
        "",
      ].join("\n"),
    );
    expect(notes.ignored).toEqual(["a6", "a7", "a8", "b2", "chore: tidy"]);
  });
  it("is empty when nothing user-facing changed", () => {
    const notes = generateNotes([commit("a", "chore: x"), commit("b", "test: y")], projects);
    expect(notes.markdown).toBe("");
    expect(notes.groups.Added).toEqual([]);
  });
});

describe("noteNeedsPaths", () => {
  it("asks for a commit's paths only when it makes a note line and no scope names its service", async () => {
    const { noteNeedsPaths } = await import("../../../src/domain/changelog/generate-notes.js");
    const projects = [{ name: "BankChurn-Predictor", path: "BankChurn-Predictor" }];
    expect(noteNeedsPaths("feat: new dashboard", projects)).toBe(true);
    expect(noteNeedsPaths("feat(bankchurn): batch endpoint", projects)).toBe(false);
    expect(noteNeedsPaths("docs: update README", projects)).toBe(false);
    expect(noteNeedsPaths("chore: start 1.2.0 development", projects)).toBe(false);
    expect(noteNeedsPaths("Merge branch 'develop'", projects)).toBe(false);
  });

  it("writes a commit subject (a squashed PR title anyone could write) as inert prose", () => {
    const notes = generateNotes([commit("c1", "fix: ping @org/everyone <img src=x>", "README.md")], projects);
    expect(notes.markdown).toContain("- Ping `@org/everyone` \\<img src=x>");
    expect(notes.markdown).not.toMatch(/(^|[^`])@org/m);
  });
});
