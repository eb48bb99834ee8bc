// Branch protection refuses what GitHub refuses: merges and pushes into a protected branch whose
// required checks have not passed or that takes changes through reviewed pull requests only.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "./helpers.js";

jest.setTimeout(60_000);

let sandbox: GitHubSandbox;
const NAME = "acme/svc";
const repo = { owner: "acme", repo: "svc" };

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "svc",
    branches: { main: { VERSION: "1.0.0\n" }, develop: { VERSION: "1.0.0\n" } },
  });
  sandbox.setPermission(NAME, "alice", "maintain");
  sandbox.setPermission(NAME, "bob", "write");
  sandbox.setPermission(NAME, "eve", "read");
});

afterAll(async () => {
  await sandbox.close();
});

const refusal = (error: unknown) => {
  const e = error as { status: number; response: { data: { message: string } } };
  return { status: e.status, message: e.response.data.message };
};

describe("a protected branch", () => {
  it("refuses POST /merges with 409 while a required check cannot have passed on the merge commit", async () => {
    const gh = octokitFor(sandbox.url);
    sandbox.protectBranch(NAME, "develop", { requiredChecks: ["ci"] });
    await sandbox.pushCommit(NAME, "alice", "main", "fix: m", { m: "m\n" });
    const before = await sandbox.getRef(NAME, "heads/develop");
    const error = await gh.rest.repos
      .merge({ ...repo, base: "develop", head: "main" })
      .catch((e: unknown) => e);
    expect(refusal(error)).toEqual({ status: 409, message: 'Required status check "ci" is expected.' });
    expect(await sandbox.getRef(NAME, "heads/develop")).toBe(before);

    sandbox.protectBranch(NAME, "develop", { requiredChecks: ["ci", "lint"] });
    const two = await gh.rest.repos
      .merge({ ...repo, base: "develop", head: "main" })
      .catch((e: unknown) => e);
    expect(refusal(two).message).toBe("2 of 2 required status checks are expected.");

    sandbox.protectBranch(NAME, "develop", { requiredChecks: [] });
    const merged = await gh.rest.repos.merge({ ...repo, base: "develop", head: "main" });
    expect(merged.status).toBe(201);
  });

  it("takes changes only through an approved PR when it requires reviews", async () => {
    const gh = octokitFor(sandbox.url);
    sandbox.protectBranch(NAME, "main", { requiredChecks: [], requiredApprovals: 1 });
    await sandbox.pushCommit(NAME, "alice", "develop", "feat: d", { d: "d\n" });
    const direct = await gh.rest.repos
      .merge({ ...repo, base: "main", head: "develop" })
      .catch((e: unknown) => e);
    expect(refusal(direct)).toEqual({ status: 409, message: "Changes must be made through a pull request." });
    const develop = (await sandbox.getRef(NAME, "heads/develop"))!;
    const push = await gh.rest.git
      .updateRef({ ...repo, ref: "heads/main", sha: develop, force: true })
      .catch((e: unknown) => e);
    expect(refusal(push)).toEqual({
      status: 422,
      message:
        "Protected branch update failed for refs/heads/main.\n\nChanges must be made through a pull request.",
    });

    const pr = await sandbox.openPullRequest(NAME, "alice", { head: "develop", base: "main", title: "d" });
    const unreviewed = await gh.rest.pulls.merge({ ...repo, pull_number: pr }).catch((e: unknown) => e);
    expect(refusal(unreviewed)).toEqual({
      status: 405,
      message: "At least 1 approving review is required by reviewers with write access.",
    });
    // A reader's approval does not count; a dismissed one neither.
    await sandbox.review(NAME, pr, "eve", "APPROVE");
    await expect(gh.rest.pulls.merge({ ...repo, pull_number: pr })).rejects.toMatchObject({ status: 405 });
    await sandbox.review(NAME, pr, "bob", "APPROVE");
    await sandbox.dismissReview(NAME, pr, "alice", "bob");
    await expect(gh.rest.pulls.merge({ ...repo, pull_number: pr })).rejects.toMatchObject({ status: 405 });
    await sandbox.review(NAME, pr, "bob", "APPROVE");
    const merged = await gh.rest.pulls.merge({ ...repo, pull_number: pr });
    expect(merged.data.merged).toBe(true);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
