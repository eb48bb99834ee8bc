import { reportCi, tickAll } from "../../sandbox/sample/ci.js";
import { type DemoContext, type DemoStep, expectThat } from "../demo-context.js";

const RELEASE_BRANCH = "release/v1.2.0";

const runsOn = (context: DemoContext, sha: string) => {
  const latest = new Map<string, { conclusion: string | null; title: string | null }>();
  for (const run of context.sandbox.checkRuns(context.repo, sha)) {
    if (run.app.slug === context.sandbox.appSlug)
      latest.set(run.name, { conclusion: run.conclusion, title: run.output.title });
  }
  return latest;
};

const table = (runs: ReturnType<typeof runsOn>) =>
  [...runs.entries()]
    .map(
      ([name, run]) =>
        `${run.conclusion === "success" ? "✅" : run.conclusion === "neutral" ? "➖" : "❌"} ${name}: ${run.title ?? ""}`,
    )
    .join("\n");

/** Steps 1 and 4 of the release guide: the pre-release checklist as check runs on the release PR. */
export const checklistSteps: DemoStep[] = [
  {
    title: "CI reports on the release PR: CarVision at 71% coverage and a HIGH code-scanning alert",
    run: async (context) => {
      const { sandbox, repo } = context;
      sandbox.protectBranch(repo, "main", { requiredChecks: ["Release readiness"] });
      const sha = (await sandbox.getRef(repo, `heads/${RELEASE_BRANCH}`)) ?? "";
      sandbox.addCodeScanningAnalysis(repo, `refs/heads/${RELEASE_BRANCH}`);
      sandbox.addCodeScanningAlert(repo, { severity: "high", ref: `refs/heads/${RELEASE_BRANCH}` });
      await reportCi(sandbox, repo, {
        sha,
        branch: RELEASE_BRANCH,
        coverage: {
          "BankChurn-Predictor": 0.82,
          "CarVision-Market-Intelligence": 0.71,
          "TelecomAI-Customer-Intelligence": 0.8,
        },
      });
      await context.settle({ timeoutMs: 120_000 });
      const runs = runsOn(context, sha);
      expectThat(runs.get("Checklist: Coverage")?.conclusion === "failure", "the coverage gate did not fail");
      expectThat(runs.get("Checklist: Security")?.conclusion === "failure", "the security gate did not fail");
      expectThat(runs.get("Release readiness")?.conclusion === "failure", "Release readiness did not fail");
      const pull = context.memory.get("releasePull") as number;
      let refused = "";
      try {
        await sandbox.mergePullRequest(repo, pull, "maintainer");
      } catch (error) {
        refused = (error as Error).message;
      }
      expectThat(refused.includes("Release readiness"), "the merge was not blocked by Release readiness");
      return `${table(runs)}\nmerge refused: ${refused}`;
    },
  },
  {
    title:
      "The fix: more CarVision tests, the alert dismissed, a release manager approves and ticks the compliance list",
    run: async (context) => {
      const { sandbox, repo } = context;
      const pull = context.memory.get("releasePull") as number;
      sandbox.dismissAlert(repo, "code-scanning", 1);
      const sha = await sandbox.pushCommit(
        repo,
        "developer",
        RELEASE_BRANCH,
        "test(carvision): cover the dashboard",
        {
          "CarVision-Market-Intelligence/tests/test_dashboard.py": "def test_dashboard():\n    assert True\n",
        },
      );
      await context.settle({ timeoutMs: 120_000 });
      await reportCi(sandbox, repo, {
        sha,
        branch: RELEASE_BRANCH,
        coverage: {
          "BankChurn-Predictor": 0.82,
          "CarVision-Market-Intelligence": 0.78,
          "TelecomAI-Customer-Intelligence": 0.8,
        },
      });
      await sandbox.review(repo, pull, "maintainer", "APPROVE");
      await sandbox.editPullRequestBody(
        repo,
        pull,
        "maintainer",
        tickAll(sandbox.issue(repo, pull).body ?? ""),
      );
      await context.settle({ timeoutMs: 120_000 });
      const runs = runsOn(context, sha);
      expectThat(
        runs.get("Release readiness")?.conclusion === "success",
        `Release readiness is not green:\n${table(runs)}`,
      );
      return table(runs);
    },
  },
];
