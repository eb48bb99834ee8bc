import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parseDocument } from "yaml";
import { type FakeMlflow, startFakeMlflow } from "../adapters/mlflow/fake-mlflow-server.js";
import { parseOperatorSettings } from "../../src/config/operator-settings-schema.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

/** Generous: the machine running the suite may be busy; nothing here is timed. */
const SETTLE = { timeoutMs: 60_000 };

const WORKFLOW = `name: Publish Docker Images
on:
  release:
    types: [published]
  workflow_dispatch:
    inputs:
      version:
        required: true
jobs: {}
`;

const IMAGES = [
  "ghcr.io/duqueom/bankchurn-api",
  "ghcr.io/duqueom/carvision-api",
  "ghcr.io/duqueom/telecom-api",
];

/**
 * The demo, end to end: `/release 1.2.0` → merge → annotated tag, draft release with the images,
 * the image workflow dispatched and recorded, back-merge into develop; then a hotfix to v1.2.1
 * and a `/revert`. Every write is read back from the sandbox GitHub.
 */
describe("shipping a release through the real app and the sandbox GitHub", () => {
  let e2e: EndToEnd;
  let releaseIssue = 0;
  let releasePull = 0;
  let mergeSha = "";
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
    const { sandbox, repo } = e2e;
    await sandbox.pushCommit(repo, "maintainer", "develop", "ci: publish images on dispatch", {
      ".github/workflows/publish-images.yml": WORKFLOW,
    });
    await sandbox.settled(SETTLE);
    releaseIssue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, releaseIssue, "maintainer", "/release 1.2.0");
    await sandbox.settled(SETTLE);
    releasePull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")?.number ?? 0;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("tags the merge commit, drafts the release, dispatches the images, back-merges and reports", async () => {
    const { sandbox, repo } = e2e;
    expect(releasePull).toBeGreaterThan(0);
    const developBefore = await sandbox.getRef(repo, "heads/develop");
    mergeSha = await sandbox.mergePullRequest(repo, releasePull, "maintainer");
    await sandbox.settled(SETTLE);

    const tag = await sandbox.getTag(repo, "v1.2.0");
    expect(tag?.commit).toBe(mergeSha);
    expect(tag?.annotated?.tag).toBe("v1.2.0");
    expect(tag?.annotated?.message.trim()).toBe("Release version 1.2.0");

    const releases = sandbox.releases(repo);
    expect(releases).toHaveLength(1);
    const release = releases[0]!;
    expect(release).toMatchObject({
      tagName: "v1.2.0",
      name: "Release v1.2.0",
      draft: true,
      prerelease: false,
    });
    const body = release.body ?? "";
    expect(body).toContain("## 🎉 Release v1.2.0");
    expect(body).toMatch(/### 🚀 New Features[\s\S]*batch prediction endpoint/);
    expect(body).toMatch(/### 🐛 Bug Fixes[\s\S]*CORS/);
    // Each image once, under Docker Images, with the tags expected from the dispatched run.
    for (const image of IMAGES) {
      expect(body).toContain(`- \`${image}\`: \`1.2.0\`, \`1.2\`, \`1\`, \`latest\``);
      expect(body.split(image)).toHaveLength(2);
    }
    expect(body.trimEnd().split("\n").at(-1)).toBe(
      "**Full Changelog**: https://github.com/duqueom/ml-mlops-portfolio/compare/v1.1.0...v1.2.0",
    );
    expect(body).toMatch(/### 🙏 Contributors\n- @\S+/);

    const runs = sandbox.workflowRuns(repo);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      event: "workflow_dispatch",
      headBranch: "v1.2.0",
      headSha: mergeSha,
      inputs: { version: "1.2.0" },
    });
    expect(body).toContain(`/actions/runs/${runs[0]!.id}`);

    // Step 10: develop got main directly (conflict-free), as a merge commit of both.
    const develop = await sandbox.commits(repo, "develop");
    expect(develop[0]?.parents).toEqual([developBefore, mergeSha]);
    expect(sandbox.pulls(repo).filter((p) => p.pull?.base === "develop")).toHaveLength(0);

    const prComment = sandbox.issue(repo, releasePull).comments.at(-1)?.body ?? "";
    expect(prComment).toContain("Release v1.2.0 shipped");
    expect(prComment).toContain("https://github.com/duqueom/ml-mlops-portfolio/releases/tag/v1.2.0");
    expect(prComment).toContain(`/actions/runs/${runs[0]!.id}`);
    expect(prComment).toContain("Back-merged into develop");
    const issue = sandbox.issue(repo, releaseIssue);
    expect(issue.state).toBe("closed");
    expect(issue.comments.at(-1)?.body).toBe(prComment);
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });

  it("records the image tags when the publishing run completes", async () => {
    const { sandbox, repo } = e2e;
    const run = sandbox.workflowRuns(repo)[0]!;
    await sandbox.completeWorkflowRun(repo, run.id, "success");
    await sandbox.settled(SETTLE);
    const body = sandbox.releases(repo)[0]?.body ?? "";
    for (const image of IMAGES) {
      expect(body).toContain(`- \`${image}\`: \`1.2.0\`, \`1.2\`, \`1\`, \`latest\``);
      expect(body.split(image)).toHaveLength(2);
    }
    expect(body).toMatch(new RegExp(`Published by the \\[workflow run\\]\\(\\S+/actions/runs/${run.id}\\)`));
    expect(body.match(/Docker Images/g)).toHaveLength(1);
    expect(body.trimEnd().split("\n").at(-1)).toMatch(/^\*\*Full Changelog\*\*: /);
    expect(sandbox.releases(repo)[0]?.draft).toBe(true);
  });

  it("does nothing twice when the merge event is delivered again", async () => {
    const { sandbox, repo } = e2e;
    const delivery = sandbox.deliveries.find(
      (d) =>
        d.event === "pull_request" &&
        d.action === "closed" &&
        (d.payload.pull_request as { number: number }).number === releasePull,
    );
    expect(delivery).toBeDefined();
    const before = {
      tags: await sandbox.listTags(repo),
      develop: await sandbox.getRef(repo, "heads/develop"),
      prComments: sandbox.issue(repo, releasePull).comments.length,
      issueComments: sandbox.issue(repo, releaseIssue).comments.length,
      releaseBody: sandbox.releases(repo)[0]?.body,
    };
    sandbox.resetRequests();
    sandbox.redeliver(delivery!.id);
    await sandbox.settled(SETTLE);
    expect(await sandbox.listTags(repo)).toEqual(before.tags);
    expect(sandbox.releases(repo)).toHaveLength(1);
    expect(sandbox.releases(repo)[0]?.body).toBe(before.releaseBody);
    expect(sandbox.workflowRuns(repo)).toHaveLength(1);
    expect(await sandbox.getRef(repo, "heads/develop")).toBe(before.develop);
    expect(sandbox.pulls(repo).filter((p) => p.pull?.base === "develop")).toHaveLength(0);
    expect(sandbox.issue(repo, releasePull).comments).toHaveLength(before.prComments);
    expect(sandbox.issue(repo, releaseIssue).comments).toHaveLength(before.issueComments);
    expect(sandbox.requests.filter((r) => r.fromApp && r.method !== "GET")).toEqual([]);
  });

  it("ignores a merged PR that is neither a release nor a hotfix, at zero API cost", async () => {
    const { sandbox, repo } = e2e;
    await sandbox.pushCommit(repo, "developer", "feature/docs", "docs: explain the API", {
      "docs/api.md": "# API\n",
    });
    const pull = await sandbox.openPullRequest(repo, "developer", {
      head: "feature/docs",
      base: "develop",
      title: "docs: explain the API",
    });
    await sandbox.settled(SETTLE);
    sandbox.resetRequests();
    await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
    const closed = sandbox.deliveries.filter(
      (d) =>
        d.event === "pull_request" &&
        d.action === "closed" &&
        (d.payload.pull_request as { number: number }).number === pull,
    );
    expect(closed).toHaveLength(1);
    expect(closed[0]?.status).toBe(200);
    expect(sandbox.requests.filter((r) => r.fromApp)).toEqual([]);
    expect(await sandbox.listTags(repo)).toEqual(["v1.1.0", "v1.2.0"]);
  });
  it("runs a hotfix to v1.2.1: label → branch from v1.2.0, PR bump, merge → tag, draft, back-merge", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "developer", {
      title: "Critical: auth rejects valid tokens",
    });
    await sandbox.label(repo, issue, "maintainer", "hotfix");
    await sandbox.settled(SETTLE);
    const branch = `hotfix/${issue}-critical-auth-rejects-valid-tokens`;
    expect(await sandbox.getRef(repo, `heads/${branch}`)).toBe(mergeSha);
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toContain(
      `Hotfix branch ready: [\`${branch}\`]`,
    );

    await sandbox.pushCommit(repo, "developer", branch, "fix(bankchurn): accept valid tokens", {
      "BankChurn-Predictor/src/bankchurn/auth.py": "def check(token):\n    return bool(token)\n",
    });
    const pull = await sandbox.openPullRequest(repo, "developer", {
      head: branch,
      base: "main",
      title: "fix(bankchurn): accept valid tokens",
      body: "Fixes the auth check.",
    });
    await sandbox.settled(SETTLE);
    const commits = await sandbox.commits(repo, branch);
    expect(commits[0]?.message).toBe("chore(hotfix): 1.2.1");
    for (const path of [
      "BankChurn-Predictor/pyproject.toml",
      "CarVision-Market-Intelligence/src/carvision/__init__.py",
      "TelecomAI-Customer-Intelligence/Dockerfile",
    ]) {
      const text = (await sandbox.getFile(repo, branch, path)) ?? "";
      expect(text).toContain("1.2.1");
      expect(text).not.toContain("1.2.0");
    }
    const changelog = (await sandbox.getFile(repo, branch, "CHANGELOG.md")) ?? "";
    expect(changelog).toMatch(
      /## \[1\.2\.1\] - 2025-01-15\s+### Fixed\s+- [^\n]*accept valid tokens \(#\d+\)/i,
    );
    expect(changelog).toContain("## [1.2.0] - 2025-01-15");
    const pr = sandbox.issue(repo, pull);
    expect(pr.labels).toContain("hotfix");
    expect(pr.body).toContain("Fixes the auth check.");
    expect(pr.body).toContain('"kind":"hotfix","version":"1.2.1","previousVersion":"1.2.0"');
    expect(pr.comments.at(-1)?.body).toContain("1.2.0 → **1.2.1**");

    const developBefore = await sandbox.getRef(repo, "heads/develop");
    const hotfixMerge = await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
    const tag = await sandbox.getTag(repo, "v1.2.1");
    expect(tag?.commit).toBe(hotfixMerge);
    expect(tag?.annotated?.message.trim()).toBe("Hotfix: fix(bankchurn): accept valid tokens");
    const release = sandbox.releases(repo).find((r) => r.tagName === "v1.2.1");
    expect(release).toMatchObject({ name: "Release v1.2.1", draft: true });
    expect(release?.body).toMatch(/### 🐛 Bug Fixes[\s\S]*accept valid tokens/i);
    expect(release?.body).toContain("compare/v1.2.0...v1.2.1");
    expect(sandbox.workflowRuns(repo).map((r) => r.headBranch)).toEqual(["v1.2.0", "v1.2.1"]);
    const develop = await sandbox.commits(repo, "develop");
    expect(develop[0]?.parents).toEqual([developBefore, hotfixMerge]);
    expect(await sandbox.getFile(repo, "develop", "BankChurn-Predictor/src/bankchurn/auth.py")).toContain(
      "bool(token)",
    );
    expect(sandbox.issue(repo, issue).state).toBe("closed");
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toContain("Hotfix v1.2.1 shipped");
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});

describe("/revert: the guide's full rollback of a release", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-20T10:00:00Z") } });
    const { sandbox, repo } = e2e;
    // v1.2.0 also changes a workflow file, which the rollback must leave to a person.
    await sandbox.pushCommit(repo, "maintainer", "develop", "ci: publish images on dispatch", {
      ".github/workflows/publish-images.yml": WORKFLOW,
    });
    await sandbox.settled(SETTLE);
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await sandbox.settled(SETTLE);
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")!.number;
    await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("opens a PR reverting v1.2.0 that, merged, ships v1.2.1 with the v1.1.0 state", async () => {
    const { sandbox, repo } = e2e;
    const v110 = "BankChurn-Predictor/src/bankchurn/api.py";
    const before = await sandbox.getFile(repo, "v1.1.0", v110);
    expect(await sandbox.getFile(repo, "main", v110)).not.toBe(before);
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Roll back 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/revert v1.2.0");
    await sandbox.settled(SETTLE);
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "revert/v1.2.0");
    expect(pull).toBeDefined();
    expect(pull?.pull?.base).toBe("main");
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toContain(
      "rollback of v1.2.0 to the v1.1.0 state",
    );
    expect(await sandbox.getFile(repo, "revert/v1.2.0", v110)).toBe(before);
    // The workflow file stays as main has it, and the PR says so (app.yml has no `workflows`).
    const workflow = ".github/workflows/publish-images.yml";
    expect(await sandbox.getFile(repo, "revert/v1.2.0", workflow)).toBe(WORKFLOW);
    expect(pull?.body).toContain("`workflows` permission");
    expect(pull?.body).toContain(`- \`${workflow}\``);
    expect(await sandbox.getFile(repo, "revert/v1.2.0", "BankChurn-Predictor/pyproject.toml")).toContain(
      'version = "1.2.1"',
    );
    const changelog = (await sandbox.getFile(repo, "revert/v1.2.0", "CHANGELOG.md")) ?? "";
    expect(changelog).toMatch(/## \[1\.2\.1\] - 2025-01-20[\s\S]*Rollback to v1\.1\.0 state/);
    expect(changelog).toContain("## [1.2.0] - 2025-01-20");

    const merged = await sandbox.mergePullRequest(repo, pull!.number, "maintainer");
    await sandbox.settled(SETTLE);
    const tag = await sandbox.getTag(repo, "v1.2.1");
    expect(tag?.commit).toBe(merged);
    expect(tag?.annotated?.message.trim()).toBe("Rollback to v1.1.0 state");
    const release = sandbox.releases(repo).find((r) => r.tagName === "v1.2.1");
    expect(release?.name).toBe("Release v1.2.1");
    expect(release?.body).toContain("Rollback to v1.1.0 state");
    expect((await sandbox.commits(repo, "develop"))[0]?.parents).toContain(merged);
    expect(sandbox.issue(repo, issue).state).toBe("closed");
    expect(sandbox.violations).toEqual([]);
  });
});

describe("model versions: the MLflow versions that ship get the release version and stage", () => {
  let e2e: EndToEnd;
  let mlflow: FakeMlflow;
  beforeAll(async () => {
    mlflow = await startFakeMlflow();
    mlflow.versions.push(
      { name: "BankChurn-XGBoost", version: "3", current_stage: "Staging", run_id: "r3" },
      { name: "BankChurn-XGBoost", version: "2", current_stage: "Production", run_id: "r2" },
    );
    mlflow.runs.r3 = [{ key: "f1", value: 0.9 }];
    // The MLflow server and its token are the operator's (loopback allowed, as in the harness).
    const operator = parseOperatorSettings(
      [
        "outbound: { allowPrivateAddresses: true }",
        "mlflow:",
        `  - { url: "${mlflow.url}", tokenEnv: MLFLOW_TRACKING_TOKEN, repositories: ["duqueom/*"] }`,
      ].join("\n"),
    );
    e2e = await startEndToEnd({
      clock: { now: () => new Date("2025-01-15T10:00:00Z") },
      overrides: { operator, secrets: { MLFLOW_TRACKING_TOKEN: mlflow.token } },
    });
    const { sandbox, repo } = e2e;
    const config = parseDocument((await sandbox.getFile(repo, "develop", ".github/release-pilot.yml")) ?? "");
    config.setIn(
      ["ship", "models"],
      [{ name: "BankChurn-XGBoost", fromStage: "Staging", stage: "production" }],
    );
    config.setIn(["ship", "images", "mode"], "off");
    await sandbox.pushCommit(repo, "maintainer", "develop", "ci: tag shipped models", {
      ".github/release-pilot.yml": config.toString(),
    });
    await sandbox.settled(SETTLE);
  });
  afterAll(async () => {
    await e2e?.close();
    await mlflow?.close();
  });

  it("tags the shipping model version on merge and links it from the PR", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await sandbox.settled(SETTLE);
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")!.number;
    await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
    expect(mlflow.tags).toEqual([
      { name: "BankChurn-XGBoost", version: "3", key: "version", value: "1.2.0" },
      { name: "BankChurn-XGBoost", version: "3", key: "stage", value: "production" },
    ]);
    const comment = sandbox.issue(repo, pull).comments.at(-1)?.body ?? "";
    expect(comment).toContain("Model [BankChurn-XGBoost v3](");
    expect(sandbox.workflowRuns(repo)).toHaveLength(0);
    expect(sandbox.violations).toEqual([]);
  });
});
