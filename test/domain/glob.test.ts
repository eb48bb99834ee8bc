import { describe, expect, it } from "@jest/globals";
import { compileGlob, MAX_GLOB_LENGTH, matchesGlob, matchGlobs } from "../../src/domain/glob.js";

describe("the one glob matcher", () => {
  // Paths as git lists them in a tree (the recursive trees API: '/'-separated, no leading './').
  it.each([
    ["Dockerfile", "Dockerfile", true],
    ["Dockerfile", "dockerfile", false],
    ["k8s/*.yaml", "k8s/bankchurn-deployment.yaml", true],
    ["k8s/*.yaml", "k8s/overlays/prod.yaml", false],
    ["k8s/**/*.yaml", "k8s/overlays/prod.yaml", true],
    ["k8s/**/*.yaml", "k8s/base.yaml", true],
    ["**/__init__.py", "src/bankchurn/__init__.py", true],
    ["**/__init__.py", "__init__.py", true],
    ["docs/**", "docs/a/b.md", true],
    ["src/?ankchurn/__init__.py", "src/bankchurn/__init__.py", true],
    ["src/?/x", "src/ab/x", false],
    ["charts/[ab]*/Chart.yaml", "charts/api/Chart.yaml", true],
    ["charts/[!a]*/Chart.yaml", "charts/api/Chart.yaml", false],
    ["CHANGELOG.md", "CHANGELOG_md", false],
    ["a+b(c).md", "a+b(c).md", true],
    ["{a,b}.md", "{a,b}.md", true],
    ["{a,b}.md", "a.md", false],
    ["!secret.txt", "!secret.txt", true],
    ["!secret.txt", "other.txt", false],
  ])("path glob %p against %p is %p (case-sensitive, as git)", (glob, path, expected) => {
    expect(matchesGlob(glob, path, "path")).toBe(expected);
  });

  it.each([
    ["test*", "Tests (3.11)", true],
    ["CI / test*", "ci / TEST / unit", true],
    ["*e2e*", "CI / e2e (chrome)", true],
    ["coverage-*", "coverage-BankChurn-Predictor", true],
    ["lint", "lint-docs", false],
    ["build (?)", "Build (3)", true],
  ])("name glob %p against %p is %p (case-insensitive, * crosses /)", (glob, name, expected) => {
    expect(matchesGlob(glob, name, "name")).toBe(expected);
  });

  it("answers the crafted glob of the issue (8 stars against a 60-character name) correctly", () => {
    // The old backtracking translation took 37.7 s for this one match; RE2 has no backtracking.
    const glob = "a*a*a*a*a*a*a*a*b";
    const name = "a".repeat(60);
    expect(matchesGlob(glob, name, "name")).toBe(false);
    expect(matchesGlob(glob, `${name}b`, "name")).toBe(true);
    expect(matchesGlob(glob, name, "path")).toBe(false);
    expect(matchesGlob("**/**/**/**/**/**/**/**/x", `${"a/".repeat(2000)}y`, "path")).toBe(false);
  });

  it("runs globs on a linear-time engine, not on a backtracking RegExp", () => {
    const matcher = compileGlob("a*b", "path");
    expect(matcher).not.toBeInstanceOf(RegExp);
    expect(matcher.test("axxb")).toBe(true);
  });

  it("matches nothing with an over-long glob, and never throws on odd ones", () => {
    expect(matchesGlob("*".repeat(MAX_GLOB_LENGTH + 1), "x")).toBe(false);
    expect(matchesGlob("*".repeat(MAX_GLOB_LENGTH), "x")).toBe(true);
    for (const glob of ["[", "]", "\\", "[z-a]", "(", "a{", "}", "***", "\\*"]) {
      expect(() => matchesGlob(glob, "anything", "path")).not.toThrow();
      expect(() => matchesGlob(glob, "anything", "name")).not.toThrow();
    }
    expect(matchesGlob("\\*", "*", "path")).toBe(true);
    expect(matchesGlob("\\*", "a", "path")).toBe(false);
  });

  it("filters paths by several globs, in the paths' order", () => {
    expect(matchGlobs(["*.toml", "k8s/*.yaml"], ["k8s/a.yaml", "README.md", "pyproject.toml"])).toEqual([
      "k8s/a.yaml",
      "pyproject.toml",
    ]);
  });
});
