import { beforeEach, describe, expect, it } from "@jest/globals";
import { type Config, configSchema } from "../../../src/config/schema.js";
import { bumpHotfix, type HotfixPull } from "../../../src/use-cases/ship/bump-hotfix.js";
import { revertRelease } from "../../../src/use-cases/ship/revert-release.js";
import { FakeShipGitHub } from "./fake-ship-github.js";

const config: Config = configSchema.parse({
  release: { projects: [{ name: "api", path: ".", image: "ghcr.io/o/api" }] },
});
const clock = { now: () => new Date("2025-01-16T09:00:00Z") };
const pyproject = (version: string) => `[project]\nname = "api"\nversion = "${version}"\n`;
const CHANGELOG_110 = "# Changelog\n\n## [1.1.0] - 2025-01-01\n\n### Added\n- First\n";
const CHANGELOG_120 =
  "# Changelog\n\n## [1.2.0] - 2025-01-15\n\n### Added\n- Batch\n\n## [1.1.0] - 2025-01-01\n\n### Added\n- First\n";
const DATA = "data/raw/table-0.csv";

describe("bumpHotfix reads", () => {
  let gh: FakeShipGitHub;
  const pull: HotfixPull = {
    number: 9,
    title: "fix: auth",
    body: "",
    head: "hotfix/1-auth",
    headSha: "h1",
    labels: [],
  };
  beforeEach(() => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.2.0", { commit: "r120" });
    gh.branches.set(pull.head, "h1");
    gh.files.set("h1", {
      "pyproject.toml": pyproject("1.2.0"),
      "CHANGELOG.md": CHANGELOG_120,
      [DATA]: "id,x\n1,2\n",
    });
    gh.pulls.push({
      number: 9,
      url: "u",
      head: pull.head,
      base: "main",
      title: pull.title,
      body: "",
      open: true,
    });
  });

  it("reads the branch's version files and CHANGELOG, never its data files", async () => {
    expect((await bumpHotfix({ ...gh.ports, clock }, { config, pull })).reason).toBe("done");
    expect(gh.read.sort()).toEqual(["tree:CHANGELOG.md", "tree:pyproject.toml"]);
    expect(gh.commits[0]?.files.get("pyproject.toml")).toContain('version = "1.2.1"');
    expect(gh.comments.at(-1)?.body).not.toContain("too large to list");
  });

  it("says which directories a bound of the tree's listing left unlisted", async () => {
    gh.unwalked = ["services/deep"];
    expect((await bumpHotfix({ ...gh.ports, clock }, { config, pull })).reason).toBe("done");
    expect(gh.comments.at(-1)?.body).toContain(
      "⚠️ The tree is too large to list whole: 1 directory was not looked into (`services/deep`)",
    );
  });
});

describe("revertRelease reads", () => {
  let gh: FakeShipGitHub;
  const input = { config, version: "1.2.0", issueNumber: 5 };
  beforeEach(() => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.1.0", { commit: "r110" });
    gh.tags.set("v1.2.0", { commit: "r120" });
    gh.branches.set("main", "m1");
    const base = { [DATA]: "id,x\n1,2\n", "model.bin": "\0weights-1" };
    gh.files.set("r110", {
      ...base,
      "pyproject.toml": pyproject("1.1.0"),
      "CHANGELOG.md": CHANGELOG_110,
      "api.py": "old\n",
    });
    const released = {
      ...base,
      "pyproject.toml": pyproject("1.2.0"),
      "CHANGELOG.md": CHANGELOG_120,
      "api.py": "new\n",
      "batch.py": "added\n",
    };
    gh.files.set("r120", released);
    gh.files.set("m1", released);
    gh.compareAnswer = () => ({
      aheadBy: 2,
      authors: [],
      files: ["api.py", "batch.py", "pyproject.toml", "CHANGELOG.md"],
    });
  });

  it("reads only the files the release changed at both tags and on main, and the plan's files on main", async () => {
    const result = await revertRelease({ ...gh.ports, clock }, input);
    expect(result.reason).toBe("done");
    const refs = ["refs/tags/v1.1.0", "refs/tags/v1.2.0", "m1"];
    const changed = ["CHANGELOG.md", "api.py", "batch.py", "pyproject.toml"];
    expect(gh.read.filter((r) => !r.startsWith("tree:")).sort()).toEqual(
      refs
        .flatMap((ref) =>
          changed.filter((p) => ref !== "refs/tags/v1.1.0" || p !== "batch.py").map((p) => `${ref}:${p}`),
        )
        .sort(),
    );
    // The version files and CHANGELOG on main, the reverted ones laid over it: no data file.
    expect(gh.read.filter((r) => r.startsWith("tree:"))).toEqual(["tree:CHANGELOG.md"]);
    const files = gh.commits[0]!.files;
    expect(files.get("api.py")).toBe("old\n");
    expect(files.get("batch.py")).toBeNull();
    expect(files.get("pyproject.toml")).toContain('version = "1.2.1"');
    expect(files.has(DATA)).toBe(false);
  });

  it("leaves a binary file the release changed to a person, and names it", async () => {
    gh.binary.add("model.bin");
    gh.files.set("r120", { ...gh.files.get("r120"), "model.bin": "\0weights-2" });
    gh.files.set("m1", gh.files.get("r120")!);
    gh.compareAnswer = () => ({
      aheadBy: 2,
      authors: [],
      files: ["api.py", "model.bin", "pyproject.toml", "CHANGELOG.md"],
    });
    expect((await revertRelease({ ...gh.ports, clock }, input)).reason).toBe("done");
    expect(gh.commits[0]!.files.has("model.bin")).toBe(false);
    expect(gh.pulls.at(-1)?.body).toContain("Binary or too large to put back as text");
    expect(gh.pulls.at(-1)?.body).toContain("- `model.bin`");
  });

  it("compares both ways when the previous release is not an ancestor, and says when GitHub capped the files", async () => {
    const asked: string[] = [];
    gh.compareAnswer = (base, head) => {
      asked.push(`${base}...${head}`);
      return base === "v1.1.0"
        ? { aheadBy: 2, behindBy: 1, authors: [], files: ["api.py", "pyproject.toml"], filesCapped: true }
        : { aheadBy: 1, authors: [], files: ["batch.py"] };
    };
    const result = await revertRelease({ ...gh.ports, clock }, input);
    expect(asked).toEqual(["v1.1.0...v1.2.0", "v1.2.0...v1.1.0"]);
    expect(gh.commits[0]!.files.get("batch.py")).toBeNull();
    expect(result.message).toContain("GitHub lists at most 300 changed files");
    expect(gh.pulls.at(-1)?.body).toContain("GitHub lists at most 300 changed files");
  });

  it("says which directories a bound of main's listing left unlisted", async () => {
    gh.unwalked = ["services/deep"];
    const result = await revertRelease({ ...gh.ports, clock }, input);
    expect(result.message).toContain("1 directory was not looked into (`services/deep`)");
    expect(gh.pulls.at(-1)?.body).toContain("1 directory was not looked into (`services/deep`)");
  });
});
