import { type EndToEnd, startEndToEnd } from "../sandbox/harness/e2e.js";
import { appRequests, breakdown, type CallBreakdown } from "./api-calls.js";
import { monorepoFiles, seedMonorepo } from "./monorepo30.js";

/** The checks the checklist config names: every project's tests and the integration shards. */
const TRACKED = `checklist:
  tests:
    checks: ["test (*)"]
  integration:
    checks: ["integration (*)"]
`;

export interface ChecklistCiRoundFigures {
  /** Every API call the app made for the whole round (token, config, reads, check-run and body writes). */
  round: CallBreakdown;
  /** The completion of one check the checklist config does not name. */
  untracked: CallBreakdown;
  projects: number;
  checkRuns: number;
  /** How the figures were measured. */
  note: string;
}

/**
 * The check runs one CI round reports on the head of a 30-project release PR, as GitHub Actions
 * names a matrix job's runs (`test (Service01-API)`): per project a test, a lint and a build
 * run, plus integration shards. The default checklist config tracks `test*` and `*integration*`.
 */
const ciRunNames = (projects: number, total: number): string[] => {
  const names: string[] = [];
  for (let i = 1; i <= projects; i++) {
    const dir = `Service${String(i).padStart(2, "0")}-API`;
    names.push(`test (${dir})`, `lint (${dir})`, `build (${dir})`);
  }
  for (let shard = 1; names.length < total; shard++) names.push(`integration (shard ${String(shard)})`);
  return names.slice(0, total);
};

const settleAndCount = async (e2e: EndToEnd, act: () => Promise<unknown>): Promise<CallBreakdown> => {
  await e2e.settle({ timeoutMs: 120_000 });
  e2e.sandbox.resetRequests();
  await act();
  await e2e.settle({ timeoutMs: 600_000 });
  return breakdown(e2e.sandbox.requests);
};

/**
 * One CI round on a release PR of the 30-service monorepo, counted at the sandbox's HTTP layer:
 * CI queues `checkRuns` check runs on the PR head (check_run.created, which the app ignores),
 * then completes them one after another without waiting for the app (a burst of
 * check_run.completed deliveries, then one check_suite.completed once the last run completes,
 * as GitHub sends them). Then another app completes one check no gate names, while its suite is
 * still running (check_run.completed alone).
 */
export const benchChecklistCiRound = async (
  projects = 30,
  checkRuns = 100,
): Promise<ChecklistCiRoundFigures> => {
  const e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
  try {
    const { sandbox } = e2e;
    const repo = await seedMonorepo(sandbox, e2e.admin, projects);
    // The team names its CI's check runs in the checklist config (on the default branch).
    const config = monorepoFiles(projects)[".github/release-pilot.yml"] ?? "";
    await sandbox.pushCommit(repo, "maintainer", "main", "ci: name the checks the checklist tracks", {
      ".github/release-pilot.yml": `${config}${TRACKED}`,
    });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 120_000 });
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0");
    if (!pull?.pull) throw new Error(`bench: /release on ${repo} opened no release PR`);
    const sha = await sandbox.getRef(repo, "heads/release/v1.2.0");
    if (!sha) throw new Error("bench: no release branch");
    if (!appRequests(sandbox.requests).some((r) => r.operationId === "checks/create"))
      throw new Error("bench: the release PR got no checklist");

    const names = ciRunNames(projects, checkRuns);
    for (const name of names) await sandbox.queueCheckRun(repo, sha, { name });
    const round = await settleAndCount(e2e, async () => {
      for (const name of names) await sandbox.completeCheckRun(repo, sha, { name, conclusion: "success" });
    });
    const tests = sandbox
      .checkRuns(repo, sha)
      .filter((r) => r.name === "Checklist: Tests")
      .at(-1);
    if (tests?.conclusion !== "success")
      throw new Error(
        `bench: after the round the Tests gate is ${tests?.conclusion ?? "absent"}: ${tests?.output.title ?? ""}`,
      );

    // Another app's suite with two runs: completing one leaves the suite running.
    await sandbox.queueCheckRun(repo, sha, { name: "docs-preview", appSlug: "docs-bot" });
    await sandbox.queueCheckRun(repo, sha, { name: "spellcheck", appSlug: "docs-bot" });
    const untracked = await settleAndCount(e2e, () =>
      sandbox.completeCheckRun(repo, sha, {
        name: "docs-preview",
        conclusion: "success",
        appSlug: "docs-bot",
      }),
    );
    return {
      round,
      untracked,
      projects,
      checkRuns,
      note:
        `${String(projects)} services × 3 version files; ${String(checkRuns)} check runs queued, then completed ` +
        "back to back (check_run.completed each, check_suite.completed last); every app request counted " +
        "(installation token included); untracked: one completion of a check no gate names, suite still running",
    };
  } finally {
    await e2e.close();
  }
};

// `npx tsx bench/checklist-ci-round.ts`: the figures alone, without the rest of the bench.
if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const [projects, checkRuns] = process.argv.slice(2).map(Number);
  const figures = await benchChecklistCiRound(projects || 30, checkRuns || 100);
  console.log(
    JSON.stringify(
      {
        round: figures.round.calls,
        roundWrites: figures.round.writes,
        untracked: figures.untracked.calls,
        byOperation: figures.round.byOperation,
      },
      null,
      2,
    ),
  );
}
