import type { GitHubSandbox } from "../github/index.js";

/** A Cobertura report as coverage.py writes it, with the given line rate (0..1). */
export const coberturaXml = (rate: number): string => {
  const valid = 1000;
  const covered = Math.round(rate * valid);
  return `<?xml version="1.0" ?>
<coverage version="7.4.0" timestamp="1736935200000" lines-valid="${valid}" lines-covered="${covered}" line-rate="${rate.toFixed(4)}" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
\t<sources>
\t\t<source>src</source>
\t</sources>
\t<packages/>
</coverage>
`;
};

export interface CiReport {
  sha: string;
  branch: string;
  /** Project name → line rate (0..1). */
  coverage: Record<string, number>;
  tests?: "success" | "failure";
  integration?: "success" | "failure";
}

/**
 * What the team's CI does on a pushed commit: a workflow run whose artifact holds each
 * project's coverage report, then the `tests` and `integration-tests` check runs of the CI app.
 */
export const reportCi = async (sandbox: GitHubSandbox, repo: string, report: CiReport): Promise<void> => {
  const runId = await sandbox.startWorkflowRun(repo, {
    workflow: "ci.yml",
    name: "CI",
    headSha: report.sha,
    headBranch: report.branch,
  });
  const files = Object.fromEntries(
    Object.entries(report.coverage).map(([project, rate]) => [`${project}/coverage.xml`, coberturaXml(rate)]),
  );
  await sandbox.completeWorkflowRun(repo, runId, "success", [{ name: "coverage", files }]);
  await sandbox.completeCheckRun(repo, report.sha, { name: "tests", conclusion: report.tests ?? "success" });
  await sandbox.completeCheckRun(repo, report.sha, {
    name: "integration-tests",
    conclusion: report.integration ?? "success",
  });
};

/** Ticks every task-list item of a PR body. */
export const tickAll = (body: string): string => body.replace(/^- \[ \] /gm, "- [x] ");
