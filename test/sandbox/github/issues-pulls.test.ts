import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";

let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "svc" };
const NAME = "acme/svc";

beforeAll(async () => {
  receiver = await startReceiver("k");
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({ owner: "acme", name: "svc", branches: { main: { a: "1\n" } } });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const actions = (from: number): string[] =>
  receiver.received.slice(from).map((r) => `${r.event}.${String(r.payload.action)}`);

describe("issues, labels and pull request listings", () => {
  it("edits, labels, unlabels and closes issues with the matching events", async () => {
    const { data: issue } = await gh.rest.issues.create({
      ...repo,
      title: "Release train",
      labels: ["release"],
    });
    await sandbox.settled();
    const start = receiver.received.length;
    await gh.rest.issues.update({ ...repo, issue_number: issue.number, title: "Release train 1.2" });
    await gh.rest.issues.addLabels({ ...repo, issue_number: issue.number, labels: ["blocked"] });
    await gh.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: "release" });
    await expect(
      gh.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: "release" }),
    ).rejects.toMatchObject({ status: 404 });
    await gh.rest.issues.update({ ...repo, issue_number: issue.number, state: "closed" });
    await sandbox.settled();
    expect(actions(start)).toEqual(["issues.edited", "issues.labeled", "issues.unlabeled", "issues.closed"]);
    expect(sandbox.issue(NAME, issue.number)).toMatchObject({
      title: "Release train 1.2",
      state: "closed",
      labels: ["blocked"],
    });
    await expect(
      gh.rest.issues.createLabel({ ...repo, name: "blocked", color: "ff0000" }),
    ).rejects.toMatchObject({ status: 422 });
    const closed = await gh.rest.issues.listForRepo({ ...repo, state: "closed", labels: "blocked" });
    expect(closed.data.map((i) => i.number)).toEqual([issue.number]);
  });

  it("lists branches, tags, PR commits and the PRs a commit belongs to", async () => {
    await sandbox.pushCommit(NAME, "alice", "feature", "feat: one", { b: "1\n" });
    const second = await sandbox.pushCommit(NAME, "alice", "feature", "feat: two", { c: "1\n" });
    const pr = await sandbox.openPullRequest(NAME, "alice", { head: "feature", base: "main", title: "feat" });
    const commits = await gh.rest.pulls.listCommits({ ...repo, pull_number: pr });
    expect(commits.data.map((c) => c.commit.message)).toEqual(["feat: one", "feat: two"]);
    const merge = await sandbox.mergePullRequest(NAME, pr, "alice");
    const associated = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: second,
    });
    expect(associated.data.map((p) => p.number)).toEqual([pr]);
    const byMerge = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: merge });
    expect(byMerge.data.map((p) => p.number)).toEqual([pr]);
    await gh.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: merge });
    const tags = await gh.rest.repos.listTags(repo);
    expect(tags.data.map((t) => [t.name, t.commit.sha])).toEqual([["v1.0.0", merge]]);
    const branches = await gh.rest.repos.listBranches(repo);
    expect(branches.data.map((b) => b.name)).toEqual(["feature", "main"]);
  });

  it("settled() rejects with a clear error while a request is stuck", async () => {
    sandbox.faults.add({ path: "/repos/acme/svc", latencyMs: 400, times: 1 });
    const slow = gh.rest.repos.get(repo);
    await new Promise((r) => setTimeout(r, 20));
    await expect(sandbox.settled({ timeoutMs: 100 })).rejects.toThrow(
      /did not settle within 100 ms: 1 API request\(s\) in flight/,
    );
    await slow;
    await sandbox.settled();
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
