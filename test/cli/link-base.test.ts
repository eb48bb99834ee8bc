// The CHANGELOG's links point at the repository itself: the `origin` remote for the CLI
// (https://git-scm.com/docs/git-remote#Documentation/git-remote.txt-get-url; scp-like
// `git@host:org/repo.git` and `ssh://` URLs as https://git-scm.com/docs/git-clone#_git_urls
// lists them), never the stale links a file carries from an older name or host.
import { afterAll, describe, expect, it } from "@jest/globals";
import { main } from "../../src/cli.js";
import { toHttpsUrl } from "../../src/adapters/git/local-git.js";
import { createTempRepo } from "./temp-repo.js";

describe("toHttpsUrl", () => {
  it.each([
    ["git@github.com:org/repo.git", "https://github.com/org/repo"],
    ["git@ghe.example.com:org/repo.git", "https://ghe.example.com/org/repo"],
    ["ssh://git@ghe.example.com:2222/org/repo.git", "https://ghe.example.com/org/repo"],
    ["https://ghe.example.com/org/repo", "https://ghe.example.com/org/repo"],
    ["https://ghe.example.com/org/repo.git/", "https://ghe.example.com/org/repo"],
    ["https://x-access-token:ghp_secret123@github.com/org/repo.git", "https://github.com/org/repo"],
    ["git://github.com/org/repo.git", "https://github.com/org/repo"],
  ])("%s → %s", (remote, web) => {
    expect(toHttpsUrl(remote)).toBe(web);
  });

  it.each([
    "/srv/git/repo.git",
    "../repo",
    "file:///srv/git/repo.git",
    "https://github.com/org/repo)](javascript:alert(1)",
    "https://github.com/org/my repo",
    "https://github.com/",
    "git@github.com:/abs/path",
  ])("gives no web address for %s", (remote) => {
    expect(toHttpsUrl(remote)).toBeUndefined();
  });
});

const STALE = `# Changelog

## [Unreleased]

### Added

- Export to CSV

## [1.2.0] - 2026-09-01

### Fixed

- Crash on empty input

[Unreleased]: https://github.com/old-org/old-name/compare/v1.2.0...HEAD
[1.2.0]: https://github.com/old-org/old-name/compare/v1.1.0...v1.2.0
`;

const repos: ReturnType<typeof createTempRepo>[] = [];
afterAll(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const planWith = (origin: string | undefined) => {
  const repo = createTempRepo(null);
  repos.push(repo);
  repo.commit("chore: import", {
    "CHANGELOG.md": STALE,
    "package.json": '{\n  "name": "tool",\n  "version": "1.2.0"\n}\n',
  });
  repo.git(["tag", "v1.2.0"]);
  repo.commit("feat: export to CSV", { "src/csv.js": "export {};\n" });
  if (origin !== undefined) repo.git(["remote", "add", "origin", origin]);
  let stdout = "";
  let stderr = "";
  const code = main(["plan", "--dir", repo.dir, "--json"], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    today: () => "2026-10-01",
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const plan = JSON.parse(stdout) as { files: { path: string; after: string }[]; warnings: string[] };
  return { plan, changelog: plan.files.find((f) => f.path === "CHANGELOG.md")?.after ?? "" };
};

describe("release-pilot plan: links from the origin remote", () => {
  it.each([
    ["git@ghe.example.com:org/repo.git", "https://ghe.example.com/org/repo"],
    ["git@github.com:org/repo.git", "https://github.com/org/repo"],
    ["https://ghe.example.com/org/repo", "https://ghe.example.com/org/repo"],
  ])("origin %s: the new links are %s's, the file's stale ones are not copied", (origin, web) => {
    const { plan, changelog } = planWith(origin);
    expect(changelog).toContain(`[Unreleased]: ${web}/compare/v1.3.0...HEAD\n`);
    expect(changelog).toContain(`[1.3.0]: ${web}/compare/v1.2.0...v1.3.0\n`);
    // The older release's own link is history: kept as written, and the only stale one left.
    expect(changelog.match(/old-org\/old-name/g)).toHaveLength(1);
    expect(changelog).toContain("[1.2.0]: https://github.com/old-org/old-name/compare/v1.1.0...v1.2.0");
    expect(plan.warnings.join("\n")).not.toContain("No repository URL known");
  });

  it("without an origin, follows the file's links and says so", () => {
    const { plan, changelog } = planWith(undefined);
    expect(changelog).toContain("[1.3.0]: https://github.com/old-org/old-name/compare/v1.2.0...v1.3.0");
    expect(plan.warnings).toContain(
      "No repository URL known (no `origin` remote): CHANGELOG.md links follow its existing ones at https://github.com/old-org/old-name; check they are this repository's.",
    );
  });
});
