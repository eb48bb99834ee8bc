import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { MAX_EDIT_LENGTH, renderDiff } from "../../src/cli/render-diff.js";

/** Applies a diff with the real `git apply` and returns the patched text. */
const gitApply = (before: string, diff: string, file = "f.txt"): string => {
  const dir = mkdtempSync(join(tmpdir(), "release-pilot-diff-"));
  try {
    if (before !== "") writeFileSync(join(dir, file), before);
    writeFileSync(join(dir, "p.diff"), diff);
    execFileSync("git", ["apply", "p.diff"], { cwd: dir, stdio: "pipe" });
    return readFileSync(join(dir, file), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe("renderDiff", () => {
  it("prints a unified diff with context", () => {
    const before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    const after = "a\nb\nc\nD\ne\nf\ng\nh\n";
    expect(renderDiff("x.txt", before, after)).toBe(
      "--- a/x.txt\n+++ b/x.txt\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n",
    );
    expect(renderDiff("x.txt", before, before)).toBe("");
  });
  it("produces diffs that git apply turns into the new text", () => {
    const line = fc.constantFrom("a", "b", "c", "version = 1", "", "## [1.0.0]");
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (x, y) => {
        const before = x.map((l) => `${l}\n`).join("");
        const after = y.map((l) => `${l}\n`).join("");
        fc.pre(before !== "" && before !== after);
        expect(gitApply(before, renderDiff("f.txt", before, after))).toBe(after);
      }),
      { numRuns: 40 },
    );
  });
  it("produces diffs git apply follows when either text lacks its last newline", () => {
    const line = fc.constantFrom("a", "b", "version = 1", "## [1.0.0]");
    const text = fc
      .tuple(fc.array(line, { minLength: 1, maxLength: 12 }), fc.boolean())
      .map(([lines, newline]) => lines.join("\n") + (newline ? "\n" : ""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== after);
        expect(gitApply(before, renderDiff("f.txt", before, after))).toBe(after);
      }),
      { numRuns: 30 },
    );
  });
  it("keeps a large file's diff small when few lines change", () => {
    const before = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const after = before
      .replace("line 10\n", "line 10\nnew A\n")
      .replace("line 49990\n", "line 49990\nnew B\n");
    const diff = renderDiff("f.txt", before, after);
    expect(diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++"))).toEqual([
      "+new A",
      "+new B",
    ]);
    expect(diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"))).toEqual([]);
    expect(gitApply(before, diff)).toBe(after);
  });
  it("marks a last line without a newline as git does, so git apply keeps it that way", () => {
    const before = "version = 1.2.0\nname = api";
    const after = "version = 1.3.0\nname = api";
    expect(renderDiff("f.txt", before, after)).toBe(
      "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n-version = 1.2.0\n+version = 1.3.0\n name = api\n\\ No newline at end of file\n",
    );
    expect(gitApply(before, renderDiff("f.txt", before, after))).toBe(after);
    expect(gitApply("a\n", renderDiff("f.txt", "a\n", "a\nb"))).toBe("a\nb");
  });
  it("shows a new file against /dev/null, and git apply creates it", () => {
    const diff = renderDiff("CHANGELOG.md", "", "# Changelog\n\n## [1.0.0]\n");
    expect(diff).toBe("--- /dev/null\n+++ b/CHANGELOG.md\n@@ -0,0 +1,3 @@\n+# Changelog\n+\n+## [1.0.0]\n");
    expect(gitApply("", diff, "CHANGELOG.md")).toBe("# Changelog\n\n## [1.0.0]\n");
  });
  it("quotes a path git would quote, so a crafted file name cannot add lines to the diff", () => {
    // A file name in a repository may hold a newline; git quotes such names C-style
    // (https://git-scm.com/docs/git-config#Documentation/git-config.txt-corequotePath).
    const diff = renderDiff("evil\n+++ b/x", "a\n", "b\n");
    expect(diff.split("\n").slice(0, 2)).toEqual(['--- "a/evil\\n+++ b/x"', '+++ "b/evil\\n+++ b/x"']);
  });
  it("shows two unrelated texts past the edit bound as one whole replacement, in linear time", () => {
    const n = MAX_EDIT_LENGTH * 20;
    const before = Array.from({ length: n }, (_, i) => `old ${i}`).join("\n") + "\n";
    const after = Array.from({ length: n }, (_, i) => `new ${i}`).join("\n");
    const started = performance.now();
    const diff = renderDiff("f.txt", before, after);
    const elapsed = performance.now() - started;
    const lines = diff.split("\n");
    expect(lines[2]).toBe(`@@ -1,${n} +1,${n} @@`);
    expect(lines.filter((l) => l.startsWith("-") && !l.startsWith("---"))).toHaveLength(n);
    expect(lines.filter((l) => l.startsWith("+") && !l.startsWith("+++"))).toHaveLength(n);
    expect(gitApply(before, diff)).toBe(after);
    // O(N + D²) with D bounded: about a second, not the minutes D = 2N would take.
    expect(elapsed).toBeLessThan(30_000);
  });
});
