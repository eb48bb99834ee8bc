// Every kind of delivery the sandbox makes, driven through the actions that cause it on GitHub
// and checked against GitHub's webhook schemas (@octokit/webhooks-schemas).
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";
import { webhookViolations } from "../../../sandbox/github/webhook-schemas.js";

// Thirty-odd deliveries, each through git and HTTP: slow on a loaded machine.
jest.setTimeout(120_000);

let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const NAME = "acme/svc";
const repo = { owner: "acme", repo: "svc" };

beforeAll(async () => {
  receiver = await startReceiver("k");
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
  await sandbox.createRepo({
    owner: "acme",
    name: "svc",
    branches: { main: { VERSION: "1.0.0\n", ".github/workflows/b.yml": "on: workflow_dispatch\n" } },
  });
  sandbox.setPermission(NAME, "alice", "admin");
  sandbox.setPermission(NAME, "bob", "write");
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("webhook payloads against GitHub's schemas", () => {
  it("are valid for every event and action the sandbox emits", async () => {
    const gh = octokitFor(sandbox.url);
    // issues: opened, labeled, unlabeled, edited, closed, reopened; issue_comment: created, edited
    const issue = await sandbox.openIssue(NAME, "alice", { title: "t", labels: ["release"] });
    const comment = sandbox.comment(NAME, issue, "alice", "/release");
    sandbox.editComment(NAME, comment, "alice", "/release 1.0.0");
    await gh.rest.issues.createComment({ ...repo, issue_number: issue, body: "by the app" });
    await gh.rest.issues.removeLabel({ ...repo, issue_number: issue, name: "release" });
    await gh.rest.issues.update({ ...repo, issue_number: issue, title: "t2" });
    await gh.rest.issues.update({ ...repo, issue_number: issue, state: "closed" });
    await gh.rest.issues.update({ ...repo, issue_number: issue, state: "open" });
    // create, push, check_suite.requested; pull_request: opened, edited, labeled, synchronize, closed
    await sandbox.pushCommit(NAME, "alice", "feature", "feat: f", { f: "f\n" });
    const pr = await sandbox.openPullRequest(NAME, "alice", { head: "feature", base: "main", title: "f" });
    await sandbox.editPullRequestBody(NAME, pr, "alice", "body");
    await sandbox.label(NAME, pr, "alice", "release");
    await sandbox.pushCommit(NAME, "alice", "feature", "fix: g", { g: "g\n" });
    // pull_request_review: submitted, dismissed
    await sandbox.review(NAME, pr, "bob", "APPROVE");
    await sandbox.dismissReview(NAME, pr, "alice", "bob");
    // check_run: created, completed, rerequested; check_suite: completed, rerequested
    const sha = (await sandbox.getRef(NAME, "feature"))!;
    const own = await gh.rest.checks.create({ ...repo, name: "own", head_sha: sha, status: "in_progress" });
    await gh.rest.checks.update({ ...repo, check_run_id: own.data.id, conclusion: "success" });
    await gh.rest.checks.rerequestRun({ ...repo, check_run_id: own.data.id });
    await gh.rest.checks.rerequestSuite({ ...repo, check_suite_id: own.data.check_suite!.id });
    await sandbox.completeCheckRun(NAME, sha, { name: "ci", conclusion: "success" });
    await sandbox.mergePullRequest(NAME, pr, "alice");
    // release: created, published, released, edited (and the tag's create and push)
    const rel = await gh.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0", body: "notes" });
    await gh.rest.repos.updateRelease({ ...repo, release_id: rel.data.id, body: "more notes" });
    const d = await gh.rest.repos.createDeployment({
      ...repo,
      ref: "main",
      required_contexts: [],
      auto_merge: false,
    });
    await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: (d.data as { id: number }).id,
      state: "success",
    });
    // workflow_run: requested, in_progress, completed
    await gh.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "b.yml", ref: "main" });
    const run = sandbox.workflowRuns(NAME).at(-1)!;
    await sandbox.completeWorkflowRun(NAME, run.id, "success");
    await sandbox.settled();

    const kinds = new Set<string>();
    const problems: string[] = [];
    for (const r of receiver.received) {
      kinds.add(`${r.event}.${r.payload.action ?? ""}`);
      problems.push(...webhookViolations(r.event, r.payload));
    }
    expect(problems).toEqual([]);
    expect(sandbox.violations).toEqual([]);
    expect([...kinds].sort()).toEqual([
      "check_run.completed",
      "check_run.created",
      "check_run.rerequested",
      "check_suite.completed",
      "check_suite.requested",
      "check_suite.rerequested",
      "create.",
      "deployment.created",
      "deployment_status.created",
      "issue_comment.created",
      "issue_comment.edited",
      "issues.closed",
      "issues.edited",
      "issues.labeled",
      "issues.opened",
      "issues.reopened",
      "issues.unlabeled",
      "pull_request.closed",
      "pull_request.edited",
      "pull_request.labeled",
      "pull_request.opened",
      "pull_request.synchronize",
      "pull_request_review.dismissed",
      "pull_request_review.submitted",
      "push.",
      "release.created",
      "release.edited",
      "release.published",
      "release.released",
      "workflow_run.completed",
      "workflow_run.in_progress",
      "workflow_run.requested",
    ]);
    // What the drift fixes are about, as GitHub sends it.
    const of = (event: string, action?: string) =>
      receiver.received.find((r) => r.event === event && r.payload.action === action)!.payload;
    const review = of("pull_request_review", "submitted").review as { state: string };
    expect(review.state).toBe("approved");
    expect((of("pull_request_review", "dismissed").review as { state: string }).state).toBe("dismissed");
    const suite = of("check_suite", "requested").check_suite as { head_commit: { id: string } };
    expect(suite.head_commit.id).toMatch(/^[0-9a-f]{40}$/);
    const pushRepo = of("push").repository as Record<string, unknown>;
    expect(typeof pushRepo.created_at).toBe("number");
    expect(typeof pushRepo.pushed_at).toBe("number");
    const comments = receiver.received.filter((r) => r.event === "issue_comment");
    const apps = comments.map(
      (r) => (r.payload.comment as { performed_via_github_app: unknown }).performed_via_github_app,
    );
    expect(apps.filter((a) => a === null)).toHaveLength(2);
    expect(apps.filter((a) => (a as { slug?: string } | null)?.slug === sandbox.appSlug)).toHaveLength(1);
  });

  it("re-queues the suite of a re-requested run and answers 403 for another App's run", async () => {
    const gh = octokitFor(sandbox.url);
    const sha = (await sandbox.getRef(NAME, "main"))!;
    const own = await gh.rest.checks.create({ ...repo, name: "mine", head_sha: sha, conclusion: "success" });
    const suiteId = own.data.check_suite!.id;
    expect((await gh.rest.checks.getSuite({ ...repo, check_suite_id: suiteId })).data.status).toBe(
      "completed",
    );
    await gh.rest.checks.rerequestRun({ ...repo, check_run_id: own.data.id });
    const suite = (await gh.rest.checks.getSuite({ ...repo, check_suite_id: suiteId })).data;
    expect([suite.status, suite.conclusion]).toEqual(["queued", null]);
    // The run itself is not updated.
    expect((await gh.rest.checks.get({ ...repo, check_run_id: own.data.id })).data.conclusion).toBe(
      "success",
    );

    const other = await sandbox.completeCheckRun(NAME, sha, { name: "ci", conclusion: "failure" });
    await expect(gh.rest.checks.rerequestRun({ ...repo, check_run_id: other })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("refuses to dismiss a comment-only review with 422", async () => {
    const gh = octokitFor(sandbox.url);
    await sandbox.pushCommit(NAME, "alice", "other", "feat: o", { o: "o\n" });
    const pr = await sandbox.openPullRequest(NAME, "alice", { head: "other", base: "main", title: "o" });
    await sandbox.review(NAME, pr, "bob", "COMMENT", "looks odd");
    const [review] = (await gh.rest.pulls.listReviews({ ...repo, pull_number: pr })).data;
    await expect(
      gh.rest.pulls.dismissReview({ ...repo, pull_number: pr, review_id: review!.id, message: "no" }),
    ).rejects.toMatchObject({ status: 422 });
    await sandbox.review(NAME, pr, "bob", "REQUEST_CHANGES", "fix it");
    const changes = (await gh.rest.pulls.listReviews({ ...repo, pull_number: pr })).data.at(-1)!;
    const res = await gh.rest.pulls.dismissReview({
      ...repo,
      pull_number: pr,
      review_id: changes.id,
      message: "stale",
    });
    expect(res.data.state).toBe("DISMISSED");
  });

  it("reports the drift GitHub's schemas forbid", () => {
    const user = { login: "a", id: 1, node_id: "x", type: "User" };
    expect(
      webhookViolations("pull_request_review", {
        action: "submitted",
        review: { state: "APPROVED" },
        sender: user,
      }).some((v) => v.includes("/review/state") && v.includes("approved")),
    ).toBe(true);
    expect(
      webhookViolations("check_suite", { action: "requested", check_suite: { head_commit: null } }),
    ).toEqual(expect.arrayContaining([expect.stringContaining("/check_suite/head_commit must be object")]));
    expect(webhookViolations("no_such_event", {})).toEqual([
      "webhook no_such_event: GitHub publishes no schema for this event",
    ]);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
