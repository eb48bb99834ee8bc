import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createRequire } from "node:module";
import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];

// Keys real deliveries carry only for organisations, enterprises or features the sandbox does
// not model; everything else GitHub's examples show must be present in ours.
const NOT_MODELLED = new Set([
  "organization",
  "enterprise",
  "performed_via_github_app",
  "sub_issues_summary",
  "issue_dependencies_summary",
  "pinned_comment",
  "issue_field_values",
  "type",
  "timeline_url",
  "parent_issue_url",
  "requested_action",
  "pusher.username",
  "check_run.deployment",
]);

function missingKeys(example: unknown, ours: unknown, path = "", depth = 2): string[] {
  if (depth === 0 || example === null || typeof example !== "object" || Array.isArray(example)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(example)) {
    const here = path ? `${path}.${key}` : key;
    if (NOT_MODELLED.has(key) || NOT_MODELLED.has(here)) continue;
    if (ours === null || typeof ours !== "object" || !(key in ours)) out.push(here);
    else out.push(...missingKeys(value, (ours as Record<string, unknown>)[key], here, depth - 1));
  }
  return out;
}

let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const NAME = "acme/svc";

beforeAll(async () => {
  receiver = await startReceiver("k");
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
  await sandbox.createRepo({
    owner: "acme",
    name: "svc",
    branches: { main: { VERSION: "1.0.0\n", ".github/workflows/b.yml": "on: workflow_dispatch\n" } },
  });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("webhook payloads", () => {
  it("carry the keys of GitHub's own examples for each event and action", async () => {
    const gh = octokitFor(sandbox.url);
    const repo = { owner: "acme", repo: "svc" };
    const issue = await sandbox.openIssue(NAME, "alice", { title: "t", labels: ["release"] });
    sandbox.comment(NAME, issue, "alice", "/release");
    await sandbox.pushCommit(NAME, "alice", "feature", "feat: f", { f: "f\n" });
    const pr = await sandbox.openPullRequest(NAME, "alice", { head: "feature", base: "main", title: "f" });
    await sandbox.review(NAME, pr, "bob", "APPROVE");
    const sha = (await sandbox.getRef(NAME, "feature"))!;
    await sandbox.completeCheckRun(NAME, sha, { name: "ci", conclusion: "success" });
    await sandbox.mergePullRequest(NAME, pr, "alice");
    await gh.rest.repos.createRelease({ ...repo, tag_name: "v1.0.0" });
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
    await gh.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "b.yml", ref: "main" });
    await sandbox.settled();

    const seen = new Set<string>();
    const problems: string[] = [];
    for (const r of receiver.received) {
      const action = r.payload.action;
      const family = examples.find((e) => e.name === r.event);
      const example = family?.examples.find((x) => x.action === action) ?? family?.examples[0];
      if (!example) {
        problems.push(`${r.event}.${String(action)}: no example`);
        continue;
      }
      seen.add(`${r.event}.${String(action ?? "")}`);
      for (const key of missingKeys(example, r.payload))
        problems.push(`${r.event}.${String(action)}: ${key}`);
    }
    expect([...new Set(problems)]).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "check_run.created",
        "check_run.completed",
        "check_suite.completed",
        "create.",
        "deployment.created",
        "deployment_status.created",
        "issue_comment.created",
        "issues.labeled",
        "issues.opened",
        "pull_request.closed",
        "pull_request.opened",
        "pull_request_review.submitted",
        "push.",
        "release.created",
        "release.published",
        "workflow_run.requested",
      ]),
    );
  });

  it("lets Probot's app authentication obtain an installation token", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const Quiet = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { ...(o.throttle as object), enabled: false },
    }));
    const app = new Quiet({ auth: { appId: 777, privateKey }, baseUrl: sandbox.url });
    const installation = await app.rest.apps.getRepoInstallation({ owner: "acme", repo: "svc" });
    const gh = new Quiet({
      auth: { appId: 777, privateKey, installationId: installation.data.id },
      baseUrl: sandbox.url,
    });
    sandbox.resetRequests();
    const res = await gh.rest.repos.get({ owner: "acme", repo: "svc" });
    expect(res.data.full_name).toBe("acme/svc");
    expect(sandbox.requests.map((r) => r.operationId)).toEqual([
      "apps/create-installation-access-token",
      "repos/get",
    ]);
  });

  it("paginates long lists with a Link header", async () => {
    const gh = octokitFor(sandbox.url);
    for (let i = 0; i < 5; i++) sandbox.comment(NAME, 1, "alice", `c${i}`);
    const page = await gh.rest.issues.listComments({
      owner: "acme",
      repo: "svc",
      issue_number: 1,
      per_page: 2,
    });
    expect(page.headers.link).toContain('rel="next"');
    const all = await gh.paginate(gh.rest.issues.listComments, {
      owner: "acme",
      repo: "svc",
      issue_number: 1,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(["/release", "c0", "c1", "c2", "c3", "c4"]);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
