import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";

// A long-lived develop branch: 1,050 commits since the last release tag. GitHub pages a compare
// with per_page ≤ 100, oldest commits first, files on the first page only
// (https://docs.github.com/en/rest/commits/commits#compare-two-commits); the sandbox does too.
const SINCE_TAG = 1050;
let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "long" };

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "long",
    defaultBranch: "develop",
    history: [
      { branch: "develop", message: "chore: release 1.0.0", files: { VERSION: "1.0.0\n" } },
      ...Array.from({ length: SINCE_TAG }, (_, i) => ({
        branch: "develop",
        message: i % 2 === 0 ? `feat: feature ${i}` : `fix(core): fix ${i}`,
        files: {},
      })),
    ],
  });
}, 600_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("the commits since the last tag, at any length", () => {
  it("pages the compare and names develop's real head", async () => {
    const gh = octokitFor(sandbox.url);
    const all = await gh.paginate(gh.rest.repos.listCommits, { ...repo, sha: "develop", per_page: 100 });
    expect(all).toHaveLength(SINCE_TAG + 1);
    const released = all.at(-1)!.sha;
    await gh.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: released });
    const head = all[0]!;

    const repository = new GitHubGitData(gh, repo);
    const before = sandbox.requests.length;
    const listed = await repository.listCommits({ base: "v1.0.0", head: "develop" });
    const requests = sandbox.requests.slice(before);

    expect(listed.commits).toHaveLength(SINCE_TAG);
    // Oldest first, the newest last: develop's head, not the last commit of the first page.
    expect(listed.commits[0]!.message).toBe("feat: feature 0");
    expect(listed.commits.at(-1)!.message).toBe(`fix(core): fix ${SINCE_TAG - 1}`);
    expect(listed.head).toEqual({ sha: head.sha, treeSha: head.commit.tree.sha });
    expect(new Set(listed.commits.map((c) => c.sha)).size).toBe(SINCE_TAG);
    // One request a page of 100, whatever the number of files.
    expect(requests.map((r) => r.operationId)).toEqual(
      Array.from({ length: Math.ceil(SINCE_TAG / 100) }, () => "repos/compare-commits"),
    );
    expect(sandbox.violations).toEqual([]);
  }, 600_000);

  it("lists at most 250 commits when the compare is not paged, as GitHub does", async () => {
    const gh = octokitFor(sandbox.url);
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: "v1.0.0...develop",
    });
    expect(data.total_commits).toBe(SINCE_TAG);
    expect(data.commits).toHaveLength(250);
    const { data: second } = await gh.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: "v1.0.0...develop",
      per_page: 100,
      page: 2,
    });
    expect(second.commits.map((c) => c.commit.message)[0]).toBe("feat: feature 100");
    expect(second.files).toEqual([]);
  }, 600_000);
});
