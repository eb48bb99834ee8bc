import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { reportCi, tickAll } from "../../sandbox/sample/ci.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

const readiness = (e2e: EndToEnd, sha: string) =>
  e2e.sandbox
    .checkRuns(e2e.repo, sha)
    .filter((run) => run.name === "Release readiness")
    .at(-1);

const run = (e2e: EndToEnd, sha: string, name: string) =>
  e2e.sandbox
    .checkRuns(e2e.repo, sha)
    .filter((r) => r.name === name)
    .at(-1);

// A whole release flow through the sandbox: many webhooks and API calls per step.
jest.setTimeout(180_000);

describe("the pre-release checklist on a release PR", () => {
  let e2e: EndToEnd;
  let pull: number;
  let branch: string;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
    const { sandbox, repo } = e2e;
    sandbox.protectBranch(repo, "main", { requiredChecks: ["Release readiness"] });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 60_000 });
    const found = sandbox.pulls(repo).find((p) => p.title === "Release v1.2.0");
    if (!found?.pull) throw new Error("no release PR");
    pull = found.number;
    branch = found.pull.head;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const headSha = async () => (await e2e.sandbox.getRef(e2e.repo, `heads/${branch}`)) ?? "";

  it("fails a gate whose inputs are missing, never passing by default", async () => {
    const sha = await headSha();
    expect(readiness(e2e, sha)?.conclusion).toBe("failure");
    expect(run(e2e, sha, "Checklist: Coverage")?.conclusion).toBe("failure");
    expect(run(e2e, sha, "Checklist: Version consistency")?.conclusion).toBe("success");
    expect(run(e2e, sha, "Checklist: Docs")?.conclusion).toBe("success");
    expect(run(e2e, sha, "Checklist: Model performance")?.conclusion).toBe("success");
  });

  it("follows CI: one project under 75% and a HIGH alert fail their gates and block the merge", async () => {
    const { sandbox, repo } = e2e;
    const sha = await headSha();
    sandbox.addCodeScanningAnalysis(repo, `refs/heads/${branch}`);
    sandbox.addCodeScanningAlert(repo, { severity: "high", ref: `refs/heads/${branch}` });
    await reportCi(sandbox, repo, {
      sha,
      branch,
      coverage: {
        "BankChurn-Predictor": 0.82,
        "CarVision-Market-Intelligence": 0.71,
        "TelecomAI-Customer-Intelligence": 0.8,
      },
    });
    await e2e.settle({ timeoutMs: 60_000 }); // CI completions are evaluated in the background
    expect(run(e2e, sha, "Checklist: Tests")?.conclusion).toBe("success");
    const coverage = run(e2e, sha, "Checklist: Coverage");
    expect(coverage?.conclusion).toBe("failure");
    expect(coverage?.output.summary).toMatch(/CarVision-Market-Intelligence[^\n]*71(\.0+)?\s*%/);
    expect(run(e2e, sha, "Checklist: Security")?.conclusion).toBe("failure");
    expect(readiness(e2e, sha)?.conclusion).toBe("failure");
    await expect(sandbox.mergePullRequest(repo, pull, "maintainer")).rejects.toThrow(/Release readiness/);
  });

  it("passes after the fix, an approval and the compliance list, and the merge goes through", async () => {
    const { sandbox, repo } = e2e;
    sandbox.dismissAlert(repo, "code-scanning", 1);
    const sha = await sandbox.pushCommit(repo, "developer", branch, "test(carvision): cover the dashboard", {
      "CarVision-Market-Intelligence/tests/test_dashboard.py": "def test_dashboard():\n    assert True\n",
    });
    await e2e.settle({ timeoutMs: 60_000 }); // CI completions are evaluated in the background
    await reportCi(sandbox, repo, {
      sha,
      branch,
      coverage: {
        "BankChurn-Predictor": 0.82,
        "CarVision-Market-Intelligence": 0.78,
        "TelecomAI-Customer-Intelligence": 0.8,
      },
    });
    await sandbox.review(repo, pull, "maintainer", "APPROVE");
    const body = sandbox.issue(repo, pull).body ?? "";
    await sandbox.editPullRequestBody(repo, pull, "maintainer", tickAll(body));
    await e2e.settle({ timeoutMs: 60_000 }); // CI completions are evaluated in the background
    expect(run(e2e, sha, "Checklist: Approvals")?.conclusion).toBe("success");
    expect(run(e2e, sha, "Checklist: Compliance")?.conclusion).toBe("success");
    expect(readiness(e2e, sha)?.conclusion).toBe("success");
    await expect(sandbox.mergePullRequest(repo, pull, "maintainer")).resolves.toMatch(/^[0-9a-f]{40}$/);
    await e2e.settle({ timeoutMs: 60_000 }); // CI completions are evaluated in the background
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
