import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { endState } from "./support/end-state.js";
import { answered, appCalls, type Reliability, startReliability, waitFor } from "./support/harness.js";

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

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

/**
 * GitHub delivers at least once. Each step of a release and a hotfix is played once, its end
 * state recorded, then every delivery the step caused is sent twice more: nothing may change.
 */
describe("every event of a release and a hotfix delivered three times", () => {
  let r: Reliability;
  beforeAll(async () => {
    r = await startReliability();
    await r.sandbox.pushCommit(r.repo, "maintainer", "develop", "ci: publish images on dispatch", {
      ".github/workflows/publish-images.yml": WORKFLOW,
    });
    await r.sandbox.settled({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await r?.close();
  });

  /** Plays a step, then redelivers each of its deliveries twice; returns the state after it. */
  const step = async (act: () => Promise<unknown>) => {
    const { sandbox, admin, repo } = r;
    const first = sandbox.deliveries.length;
    await act();
    await sandbox.settled({ timeoutMs: 60_000 });
    const once = await endState(sandbox, admin, repo);
    const caused = sandbox.deliveries.slice(first);
    expect(caused.length).toBeGreaterThan(0);
    expect(caused.every((d) => d.status === 200)).toBe(true);
    sandbox.resetRequests();
    for (let round = 0; round < 2; round++) {
      for (const delivery of caused) sandbox.redeliver(delivery.id);
      await sandbox.settled({ timeoutMs: 60_000 });
    }
    const thrice = await endState(sandbox, admin, repo);
    expect(thrice).toEqual(once);
    // Redelivered work may read and refresh its own comment in place, never create anything.
    const creates = appCalls(sandbox).filter(
      (c) =>
        (c.method === "POST" || c.method === "PUT") &&
        !c.path.includes("/access_tokens") &&
        !c.path.includes("/reactions"),
    );
    expect(creates).toEqual([]);
    expect(sandbox.violations).toEqual([]);
    return thrice;
  };

  let releasePull = 0;

  it("/release: one branch, one PR, one reply", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    const state = await step(async () => {
      const id = sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
      await waitFor(sandbox, answered(sandbox, repo, issue, id));
    });
    expect(Object.keys(state.branches).filter((b) => b.startsWith("release/"))).toEqual(["release/v1.2.0"]);
    expect(state.pulls.filter((p) => p.head === "release/v1.2.0")).toHaveLength(1);
    const replies = state.threads[issue]?.comments.filter((c) => c.includes("Release **v1.2.0** is cut"));
    expect(replies).toHaveLength(1);
    releasePull = state.pulls.find((p) => p.head === "release/v1.2.0")!.number;
  });

  it("merge of the release PR: one tag, one release, one image run, one back-merge", async () => {
    const { sandbox, repo } = r;
    expect(releasePull).toBeGreaterThan(0);
    const state = await step(() => sandbox.mergePullRequest(repo, releasePull, "maintainer"));
    expect(state.tags).toEqual(["v1.1.0", "v1.2.0"]);
    expect(state.releases.map((x) => x.tag)).toEqual(["v1.2.0"]);
    expect(state.workflowRuns).toBe(1);
    expect(state.pulls.filter((p) => p.base === "develop")).toHaveLength(0);
  });

  it("image run completed: the release body records the images once", async () => {
    const { sandbox, repo } = r;
    const run = sandbox.workflowRuns(repo)[0]!;
    const state = await step(() => sandbox.completeWorkflowRun(repo, run.id, "success"));
    const body = state.releases[0]?.body ?? "";
    // One images block, published once, each image on one line of its own.
    expect(body.match(/<!-- release-pilot:images:start -->/g)).toHaveLength(1);
    expect(body.match(/Published by the \[workflow run\]/g)).toHaveLength(1);
    expect(body.match(/^- `[^`]*bankchurn[^`]*`/gm)).toHaveLength(1);
  });

  it("hotfix: one branch from the tag, one bump commit, one tag and release on merge", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "developer", {
      title: "Critical: auth rejects valid tokens",
    });
    const branch = `hotfix/${issue}-critical-auth-rejects-valid-tokens`;
    const labelled = await step(() => sandbox.label(repo, issue, "maintainer", "hotfix"));
    expect(labelled.branches[branch]).toBeDefined();
    await step(() =>
      sandbox.pushCommit(repo, "developer", branch, "fix(bankchurn): accept valid tokens", {
        "BankChurn-Predictor/src/bankchurn/auth.py": "def check(token):\n    return bool(token)\n",
      }),
    );
    let pull = 0;
    const opened = await step(async () => {
      pull = await sandbox.openPullRequest(repo, "developer", {
        head: branch,
        base: "main",
        title: "fix: tokens",
      });
    });
    const bumps = (await sandbox.commits(repo, branch)).filter((c) => c.message === "chore(hotfix): 1.2.1");
    expect(bumps).toHaveLength(1);
    expect(opened.branches[branch]).toBe(bumps[0]?.sha);
    const merged = await step(() => sandbox.mergePullRequest(repo, pull, "maintainer"));
    expect(merged.tags).toEqual(["v1.1.0", "v1.2.0", "v1.2.1"]);
    expect(merged.releases.map((x) => x.tag)).toEqual(["v1.2.0", "v1.2.1"]);
    expect(merged.workflowRuns).toBe(2);
  });
});
