import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";
import { readZip } from "../../../sandbox/github/zip.js";

let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "svc" };
const NAME = "acme/svc";
const WORKFLOW = "name: Build images\non:\n  workflow_dispatch:\n    inputs:\n      version: {}\n";

beforeAll(async () => {
  receiver = await startReceiver("k");
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({
    owner: "acme",
    name: "svc",
    branches: { main: { VERSION: "1.0.0\n", ".github/workflows/build.yml": WORKFLOW } },
  });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const events = (from: number): string[] =>
  receiver.received
    .slice(from)
    .map((r) => `${r.event}.${String(r.payload.action ?? r.payload.ref_type ?? r.payload.ref)}`);

describe("releases, statuses, deployments, Actions and alerts", () => {
  it("creates a release, its tag and the events GitHub sends", async () => {
    const start = receiver.received.length;
    const created = await gh.rest.repos.createRelease({
      ...repo,
      tag_name: "v1.0.0",
      name: "v1.0.0",
      body: "## Added\n",
    });
    await sandbox.settled();
    expect(events(start)).toEqual([
      "create.tag",
      "push.refs/tags/v1.0.0",
      "release.created",
      "release.published",
      "release.released",
    ]);
    expect(await sandbox.listTags(NAME)).toEqual(["v1.0.0"]);
    const latest = await gh.rest.repos.getLatestRelease(repo);
    expect(latest.data.id).toBe(created.data.id);
    const byTag = await gh.rest.repos.getReleaseByTag({ ...repo, tag: "v1.0.0" });
    expect(byTag.data.body).toBe("## Added\n");
    await expect(gh.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0" })).rejects.toMatchObject({
      status: 422,
    });
    const draft = await gh.rest.repos.createRelease({ ...repo, tag_name: "v1.1.0", draft: true });
    expect(await sandbox.listTags(NAME)).toEqual(["v1.0.0"]);
    await gh.rest.repos.updateRelease({ ...repo, release_id: draft.data.id, draft: false });
    expect(await sandbox.listTags(NAME)).toEqual(["v1.0.0", "v1.1.0"]);
    expect(sandbox.releases(NAME).map((r) => [r.tagName, r.draft])).toEqual([
      ["v1.0.0", false],
      ["v1.1.0", false],
    ]);
  });

  it("combines commit statuses and refuses deployments whose contexts are not green", async () => {
    const sha = (await sandbox.getRef(NAME, "main"))!;
    sandbox.setStatus(NAME, sha, { context: "ci/lint", state: "pending" });
    await expect(
      gh.rest.repos.createDeployment({ ...repo, ref: "main", environment: "staging" }),
    ).rejects.toMatchObject({ status: 409 });
    await gh.rest.repos.createCommitStatus({ ...repo, sha, context: "ci/lint", state: "success" });
    const combined = await gh.rest.repos.getCombinedStatusForRef({ ...repo, ref: "main" });
    expect(combined.data).toMatchObject({ state: "success", total_count: 1 });
    const start = receiver.received.length;
    const first = await gh.rest.repos.createDeployment({
      ...repo,
      ref: "main",
      environment: "staging",
      payload: { services: ["bank"] },
      auto_merge: false,
    });
    expect(first.status).toBe(201);
    const id = (first.data as { id: number }).id;
    await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: "success",
      environment_url: "https://staging.example.test",
    });
    const second = await gh.rest.repos.createDeployment({
      ...repo,
      ref: "main",
      environment: "staging",
      required_contexts: [],
    });
    await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: (second.data as { id: number }).id,
      state: "success",
    });
    await sandbox.settled();
    expect(events(start)).toEqual([
      "deployment.created",
      "deployment_status.created",
      "deployment.created",
      "deployment_status.created",
    ]);
    const statuses = await gh.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data.map((s) => s.state)).toEqual(["inactive", "success"]);
    const listed = await gh.rest.repos.listDeployments({ ...repo, environment: "staging" });
    expect(listed.data.map((d) => d.payload)).toEqual([{}, { services: ["bank"] }]);
    expect(sandbox.deployments(NAME)).toHaveLength(2);
  });

  it("auto-merges the default branch into a stale ref before deploying", async () => {
    const main = (await sandbox.getRef(NAME, "main"))!;
    await gh.rest.git.createRef({ ...repo, ref: "refs/heads/hotfix/1", sha: main });
    await sandbox.pushCommit(NAME, "alice", "main", "docs", { "README.md": "hi\n" });
    const res = await gh.rest.repos.createDeployment({ ...repo, ref: "hotfix/1", required_contexts: [] });
    expect(res.status).toBe(202);
    expect(await sandbox.getFile(NAME, "hotfix/1", "README.md")).toBe("hi\n");
  });

  it("dispatches a workflow, completes the run with an artifact, and serves the zip", async () => {
    const start = receiver.received.length;
    await gh.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: "build.yml",
      ref: "main",
      inputs: { version: "1.1.0" },
    });
    await expect(
      gh.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "missing.yml", ref: "main" }),
    ).rejects.toMatchObject({ status: 404 });
    const runs = await gh.rest.actions.listWorkflowRunsForRepo({ ...repo, event: "workflow_dispatch" });
    expect(runs.data.workflow_runs.map((r) => [r.name, r.status])).toEqual([["Build images", "queued"]]);
    const runId = runs.data.workflow_runs[0]!.id;
    await sandbox.completeWorkflowRun(NAME, runId, "success", [
      { name: "image-digests", files: { "digests.json": '{"bank":"sha256:abc"}' } },
    ]);
    await sandbox.settled();
    expect(events(start)).toEqual([
      "workflow_run.requested",
      "workflow_run.in_progress",
      "workflow_run.completed",
    ]);
    const run = await gh.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    expect(run.data.conclusion).toBe("success");
    const artifacts = await gh.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: runId });
    expect(artifacts.data.artifacts.map((a) => a.name)).toEqual(["image-digests"]);
    const zip = await gh.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: artifacts.data.artifacts[0]!.id,
      archive_format: "zip",
    });
    expect(readZip(Buffer.from(zip.data as ArrayBuffer))).toEqual({
      "digests.json": '{"bank":"sha256:abc"}',
    });
  });

  it("lists code-scanning and Dependabot alerts with filters", async () => {
    sandbox.addCodeScanningAlert(NAME, { severity: "high", ref: "refs/heads/main" });
    const low = sandbox.addCodeScanningAlert(NAME, { severity: "low", ref: "refs/heads/main" });
    sandbox.dismissAlert(NAME, "code-scanning", low);
    sandbox.addDependabotAlert(NAME, { severity: "critical", packageName: "urllib3" });
    const open = await gh.rest.codeScanning.listAlertsForRepo({
      ...repo,
      ref: "refs/heads/main",
      state: "open",
    });
    expect(open.data.map((a) => a.rule.security_severity_level)).toEqual(["high"]);
    const deps = await gh.rest.dependabot.listAlertsForRepo({
      ...repo,
      state: "open",
      severity: "critical,high",
    });
    expect(deps.data.map((a) => a.dependency.package?.name)).toEqual(["urllib3"]);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
