// Required status checks of a protected branch: they guard both a merge and a push to the branch
// (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-status-checks-before-merging).
import type { CheckRun, CommitStatus, Repo } from "./state.js";

/** What the rule reads of a repository. */
export interface ProtectedRepo {
  protections: Repo["protections"];
  checkRuns: readonly Pick<CheckRun, "headSha" | "name" | "status" | "conclusion">[];
  statuses: readonly Pick<CommitStatus, "sha" | "context" | "state">[];
}

/**
 * Names of required checks not yet green on `sha`: a check's latest run completed as success,
 * neutral or skipped, or else its latest commit status is success.
 */
export function missingChecks(repo: ProtectedRepo, branch: string, sha: string): string[] {
  return unmetChecks(repo, repo.protections.get(branch)?.requiredChecks ?? [], sha);
}

/** Of the `required` checks, those not yet green on `sha` (as `missingChecks` reads them). */
export function unmetChecks(repo: ProtectedRepo, required: readonly string[], sha: string): string[] {
  return required.filter((name) => {
    const runs = repo.checkRuns.filter((r) => r.headSha === sha && r.name === name);
    const latestRun = runs.at(-1);
    if (
      latestRun?.status === "completed" &&
      ["success", "neutral", "skipped"].includes(latestRun.conclusion ?? "")
    )
      return false;
    const status = repo.statuses.filter((s) => s.sha === sha && s.context === name).at(-1);
    return status?.state !== "success";
  });
}

/** GitHub's words for required checks not yet green (the protected-branch refusal). */
export function missingChecksMessage(missing: string[]): string {
  return missing.length === 1
    ? `Required status check "${missing[0]}" is expected.`
    : `${missing.length} of ${missing.length} required status checks are expected.`;
}
