import { describe, expect, it } from "@jest/globals";
import { missingChecks, type ProtectedRepo } from "../../../sandbox/github/branch-protection.js";

// GitHub: "Required status checks must have a successful, skipped, or neutral status before
// collaborators can make changes to a protected branch", from check runs or commit statuses
// (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#require-status-checks-before-merging).
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const OTHER = "89e6c98d92887913cadf06b2adb97f26cde4849b";

type Run = ProtectedRepo["checkRuns"][number];
type Status = ProtectedRepo["statuses"][number];

const repoWith = (runs: Run[] = [], statuses: Status[] = []): ProtectedRepo => ({
  protections: new Map([["main", { requiredChecks: ["ci/test", "lint"] }]]),
  checkRuns: runs,
  statuses,
});
const run = (name: string, conclusion: string | null, headSha = SHA): Run => ({
  name,
  headSha,
  status: conclusion === null ? "in_progress" : "completed",
  conclusion,
});
const status = (context: string, state: Status["state"], sha = SHA): Status => ({ context, state, sha });

describe("missingChecks", () => {
  it("asks nothing of a branch without protection", () => {
    expect(missingChecks(repoWith(), "develop", SHA)).toEqual([]);
  });

  it("names every required check with no run or status on the commit, in the rule's order", () => {
    expect(missingChecks(repoWith(), "main", SHA)).toEqual(["ci/test", "lint"]);
  });

  it("counts success, neutral and skipped runs as green, not failure, cancelled or a run in progress", () => {
    for (const green of ["success", "neutral", "skipped"])
      expect(missingChecks(repoWith([run("ci/test", green), run("lint", green)]), "main", SHA)).toEqual([]);
    for (const red of ["failure", "cancelled", "timed_out", "action_required", null])
      expect(missingChecks(repoWith([run("ci/test", red), run("lint", "success")]), "main", SHA)).toEqual([
        "ci/test",
      ]);
  });

  it("reads only the latest run of a check: a failed re-run undoes an earlier success", () => {
    const fixed = repoWith([run("ci/test", "failure"), run("ci/test", "success"), run("lint", "success")]);
    expect(missingChecks(fixed, "main", SHA)).toEqual([]);
    const broken = repoWith([run("ci/test", "success"), run("ci/test", "failure"), run("lint", "success")]);
    expect(missingChecks(broken, "main", SHA)).toEqual(["ci/test"]);
  });

  it("ignores runs and statuses of another commit or another name", () => {
    const elsewhere = repoWith(
      [run("ci/test", "success", OTHER), run("ci/test-extra", "success")],
      [status("lint", "success", OTHER)],
    );
    expect(missingChecks(elsewhere, "main", SHA)).toEqual(["ci/test", "lint"]);
  });

  it("accepts a commit status whose latest state is success", () => {
    const statuses = repoWith(
      [],
      [status("ci/test", "pending"), status("ci/test", "success"), status("lint", "success")],
    );
    expect(missingChecks(statuses, "main", SHA)).toEqual([]);
    const regressed = repoWith(
      [],
      [status("ci/test", "success"), status("ci/test", "error"), status("lint", "success")],
    );
    expect(missingChecks(regressed, "main", SHA)).toEqual(["ci/test"]);
  });
});
