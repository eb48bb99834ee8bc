import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { renderDiff } from "../../src/cli/render-diff.js";

/** Applies a diff with the real `git apply` and returns the patched text. */
const gitApply = (before: string, diff: string): string => {
  const dir = mkdtempSync(join(tmpdir(), "release-pilot-diff-"));
  try {
    writeFileSync(join(dir, "f.txt"), before);
    writeFileSync(join(dir, "p.diff"), diff);
    execFileSync("git", ["apply", "p.diff"], { cwd: dir, stdio: "pipe" });
    return readFileSync(join(dir, "f.txt"), "utf8");
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
});
