// A release shipped into a repository whose develop branch is protected: the direct back-merge
// (POST /merges) is refused as GitHub refuses it, and the app opens a back-merge PR that says why.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

// A release is cut and shipped: many webhooks and API calls.
jest.setTimeout(180_000);

const SETTLE = { timeoutMs: 60_000 };

describe("shipping into a protected develop", () => {
  let e2e: EndToEnd;
  let releasePull = 0;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
    const { sandbox, repo } = e2e;
    sandbox.protectBranch(repo, "develop", { requiredChecks: ["ci"] });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle(SETTLE);
    releasePull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")?.number ?? 0;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("opens a back-merge PR saying branch protection refused the direct merge, not a conflict", async () => {
    const { sandbox, repo } = e2e;
    expect(releasePull).toBeGreaterThan(0);
    const developBefore = await sandbox.getRef(repo, "heads/develop");
    await sandbox.mergePullRequest(repo, releasePull, "maintainer");
    await e2e.settle(SETTLE);

    const refused = sandbox.requests.filter((r) => r.operationId === "repos/merge");
    expect(refused.map((r) => r.status)).toEqual([409]);
    expect(await sandbox.getRef(repo, "heads/develop")).toBe(developBefore);
    const back = sandbox.pulls(repo).find((p) => p.pull?.head === "main" && p.pull.base === "develop");
    expect(back?.title).toBe("Back-merge v1.2.0 into develop");
    expect(back?.body).toContain("refused by branch protection");
    expect(back?.body).not.toContain("does not merge cleanly");
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
