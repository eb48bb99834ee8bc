import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";

const SECRET = "s3cret";
let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "svc" };
const NAME = "acme/svc";

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: SECRET } });
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({ owner: "acme", name: "svc", branches: { main: { VERSION: "1.0.0\n" } } });
  sandbox.setPermission(NAME, "alice", "maintain");
  sandbox.protectBranch(NAME, "main", { requiredChecks: ["ci/test"] });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("people, the app and the webhooks between them", () => {
  it("delivers signed issue_comment events for people and for the app's own comment", async () => {
    const number = await sandbox.openIssue(NAME, "alice", {
      title: "Release 1.1.0",
      body: "please",
      labels: ["release"],
    });
    sandbox.comment(NAME, number, "alice", "/release minor");
    await sandbox.settled();
    const created = receiver.received.filter((r) => r.event === "issue_comment");
    expect(created).toHaveLength(1);
    expect(created[0]!.signatureValid).toBe(true);
    expect(created[0]!.payload).toMatchObject({
      action: "created",
      comment: {
        body: "/release minor",
        user: { login: "alice", type: "User" },
        author_association: "MEMBER",
      },
      installation: { id: sandbox.installationId },
      repository: { full_name: "acme/svc" },
    });
    expect(receiver.received.map((r) => `${r.event}.${String(r.payload.action)}`)).toEqual([
      "issues.opened",
      "issues.labeled",
      "issue_comment.created",
    ]);

    const reply = await gh.rest.issues.createComment({ ...repo, issue_number: number, body: "On it." });
    await gh.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: created[0]!.payload.comment ? (created[0]!.payload.comment as { id: number }).id : 0,
      content: "rocket",
    });
    await sandbox.settled();
    const own = receiver.received.at(-1)!;
    expect(own.payload).toMatchObject({
      action: "created",
      comment: { id: reply.data.id },
      sender: { login: "release-pilot[bot]", type: "Bot" },
    });
    const issue = sandbox.issue(NAME, number);
    expect(issue.comments.map((c) => c.body)).toEqual(["/release minor", "On it."]);
    expect(issue.comments[0]!.reactions.map((r) => r.content)).toEqual(["rocket"]);

    const perm = await gh.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "alice" });
    expect(perm.data).toMatchObject({ permission: "write", role_name: "maintain" });
    sandbox.addTeamMember("acme", "release-managers", "alice");
    const team = await gh.rest.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "release-managers",
      username: "alice",
    });
    expect(team.data.state).toBe("active");
    await expect(
      gh.rest.teams.getMembershipForUserInOrg({
        org: "acme",
        team_slug: "release-managers",
        username: "bob",
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("blocks a PR merge until the required check is green, then merges with push and closed events", async () => {
    await sandbox.pushCommit(NAME, "alice", "feature/x", "feat: x", { "x.txt": "x\n" });
    const number = await sandbox.openPullRequest(NAME, "alice", {
      head: "feature/x",
      base: "main",
      title: "feat: x",
    });
    const pr = await gh.rest.pulls.get({ ...repo, pull_number: number });
    expect(pr.data).toMatchObject({
      mergeable: true,
      commits: 1,
      changed_files: 1,
      head: { ref: "feature/x" },
    });
    await expect(gh.rest.pulls.merge({ ...repo, pull_number: number })).rejects.toMatchObject({
      status: 405,
      message: expect.stringContaining('"ci/test"'),
    });

    await expect(
      gh.rest.git.updateRef({ ...repo, ref: "heads/main", sha: pr.data.head.sha }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Protected branch update failed"),
    });
    const check = await gh.rest.checks.create({
      ...repo,
      name: "release-pilot/gate",
      head_sha: pr.data.head.sha,
      status: "in_progress",
    });
    expect(check.data.app?.slug).toBe("release-pilot");
    await sandbox.completeCheckRun(NAME, pr.data.head.sha, { name: "ci/test", conclusion: "success" });
    const runs = await gh.rest.checks.listForRef({ ...repo, ref: pr.data.head.sha });
    expect(runs.data.check_runs.map((r) => [r.name, r.app?.slug, r.conclusion])).toEqual([
      ["ci/test", "ci", "success"],
      ["release-pilot/gate", "release-pilot", null],
    ]);
    await sandbox.settled();
    const before = receiver.received.length;
    const merged = await gh.rest.pulls.merge({ ...repo, pull_number: number, merge_method: "squash" });
    expect(merged.data.merged).toBe(true);
    await sandbox.settled();
    const events = receiver.received
      .slice(before)
      .map((r) => `${r.event}.${r.payload.action ?? r.payload.ref}`);
    expect(events).toEqual(["push.refs/heads/main", "check_suite.requested", "pull_request.closed"]);
    expect(receiver.received.at(-1)!.payload).toMatchObject({
      pull_request: { merged: true, merge_commit_sha: merged.data.sha },
    });
    expect(await sandbox.getFile(NAME, "main", "x.txt")).toBe("x\n");
    expect((await sandbox.commits(NAME, "main"))[0]).toMatchObject({
      sha: merged.data.sha,
      message: `feat: x (#${number})`,
    });
    const checkEvents = receiver.received
      .filter((r) => r.event.startsWith("check_"))
      .map((r) => `${r.event}.${r.payload.action}`);
    expect(checkEvents).toEqual([
      "check_suite.requested",
      "check_run.created",
      "check_run.created",
      "check_run.completed",
      "check_suite.completed",
      "check_suite.requested",
    ]);
  });

  it("opens PRs for the app, synchronizes on push and lists them by head", async () => {
    const main = (await sandbox.getRef(NAME, "main"))!;
    await gh.rest.git.createRef({ ...repo, ref: "refs/heads/release/v1.1.0", sha: main });
    await sandbox.pushCommit(NAME, "alice", "release/v1.1.0", "chore: bump", { VERSION: "1.1.0\n" });
    const created = await gh.rest.pulls.create({
      ...repo,
      head: "release/v1.1.0",
      base: "main",
      title: "Release v1.1.0",
      body: "notes",
    });
    await expect(
      gh.rest.pulls.create({ ...repo, head: "release/v1.1.0", base: "main", title: "again" }),
    ).rejects.toMatchObject({ status: 422 });
    const before = receiver.received.length;
    await sandbox.pushCommit(NAME, "bob", "release/v1.1.0", "fix: typo", { VERSION: "1.1.0 \n" });
    await sandbox.settled();
    expect(receiver.received.slice(before).map((r) => `${r.event}.${r.payload.action ?? "-"}`)).toEqual([
      "push.-",
      "check_suite.requested",
      "pull_request.synchronize",
    ]);
    const listed = await gh.rest.pulls.list({ ...repo, head: "acme:release/v1.1.0", state: "open" });
    expect(listed.data.map((p) => p.number)).toEqual([created.data.number]);
    const files = await gh.rest.pulls.listFiles({ ...repo, pull_number: created.data.number });
    expect(files.data.map((f) => f.filename)).toEqual(["VERSION"]);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
  expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
});
