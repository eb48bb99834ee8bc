import type { RequestRecord } from "../../sandbox/github/index.js";
import { ARCHIVE_PREFIX } from "../../sandbox/github/routes/archives.js";
import { startEndToEnd } from "../../sandbox/harness/e2e.js";
import { appRequests, breakdown } from "../../bench/api-calls.js";
import { commitDataFiles } from "../../bench/large-repo.js";

/** Generous: the machine running the suite may be busy; nothing here is timed. */
const SETTLE = { timeoutMs: 120_000 };

const OWNER = { owner: "duqueom", repo: "ml-mlops-portfolio" };

/** What the app asked of GitHub during one step: calls, bytes of the answers, by operation. */
export interface StepFigures {
  calls: number;
  /** Bytes of the answers the sandbox sent the app (bodies on the wire, gzip where asked). */
  bytes: number;
  byOperation: Record<string, number>;
  /** Bytes of the answers by operation. */
  bytesByOperation: Record<string, number>;
  /** Requests for a repository archive (tarball or zipball). */
  archives: number;
}

const figuresOf = (requests: readonly RequestRecord[]): StepFigures => {
  const mine = appRequests(requests);
  // An archive's bytes come from the address GitHub's 302 names (the sandbox's own route):
  // counted with the calls' answers, though the download is not an API call.
  const received = [...mine, ...requests.filter((r) => r.path.startsWith(ARCHIVE_PREFIX))];
  return {
    calls: mine.length,
    bytes: received.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
    byOperation: breakdown(requests).byOperation,
    bytesByOperation: received.reduce<Record<string, number>>((by, r) => {
      const op = r.operationId ?? r.path;
      by[op] = (by[op] ?? 0) + (r.bytes ?? 0);
      return by;
    }, {}),
    archives: received.filter(
      (r) => /\/(tarball|zipball)(\/|$)/.test(r.path) || r.path.startsWith(ARCHIVE_PREFIX),
    ).length,
  };
};

/**
 * The sample monorepo with `mb` MB of data files committed on main before its v1.1.0 (so they are
 * in every tree the steps read, and in no release's changes), then: `/release 1.2.0` merged,
 * `/revert v1.2.0` (measured: the command to its PR), and a hotfix from v1.2.0 (measured: the PR's
 * bump, and its merge shipping v1.2.1). What the app transferred in each measured step.
 */
export const shipOnData = async (
  mb: number,
): Promise<{ revert: StepFigures; hotfixBump: StepFigures; hotfixShip: StepFigures; replies: string[] }> => {
  const e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-20T10:00:00Z") } });
  const { sandbox, repo, admin } = e2e;
  const measure = async (act: () => Promise<unknown>): Promise<StepFigures> => {
    await sandbox.settled(SETTLE);
    sandbox.resetRequests();
    await act();
    await sandbox.settled(SETTLE);
    return figuresOf(sandbox.requests);
  };
  try {
    if (mb > 0) {
      const head = { sha: "" };
      await commitDataFiles(async (commits) => {
        head.sha = await sandbox.appendHistory(repo, "main", commits);
      }, mb);
      await admin.rest.git.updateRef({ ...OWNER, ref: "tags/v1.1.0", sha: head.sha, force: true });
    }
    const releaseIssue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, releaseIssue, "maintainer", "/release 1.2.0");
    await sandbox.settled(SETTLE);
    const releasePull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")!.number;
    await sandbox.mergePullRequest(repo, releasePull, "maintainer");
    await sandbox.settled(SETTLE);

    const revertIssue = await sandbox.openIssue(repo, "maintainer", { title: "Roll back 1.2.0" });
    const revert = await measure(async () =>
      sandbox.comment(repo, revertIssue, "maintainer", "/revert v1.2.0"),
    );

    const hotfixIssue = await sandbox.openIssue(repo, "developer", { title: "Auth rejects valid tokens" });
    await sandbox.label(repo, hotfixIssue, "maintainer", "hotfix");
    await sandbox.settled(SETTLE);
    const branch = `hotfix/${hotfixIssue}-auth-rejects-valid-tokens`;
    await sandbox.pushCommit(repo, "developer", branch, "fix(bankchurn): accept valid tokens", {
      "BankChurn-Predictor/src/bankchurn/auth.py": "def check(token):\n    return bool(token)\n",
    });
    let hotfixPull = 0;
    const hotfixBump = await measure(async () => {
      hotfixPull = await sandbox.openPullRequest(repo, "developer", {
        head: branch,
        base: "main",
        title: "fix(bankchurn): accept valid tokens",
      });
    });
    const hotfixShip = await measure(() => sandbox.mergePullRequest(repo, hotfixPull, "maintainer"));
    return {
      revert,
      hotfixBump,
      hotfixShip,
      replies: [
        sandbox.issue(repo, revertIssue).comments.at(-1)?.body ?? "",
        sandbox
          .issue(repo, hotfixPull)
          .comments.map((c) => c.body)
          .join("\n---\n"),
        (await sandbox.getTag(repo, "v1.2.1")) ? "v1.2.1 tagged" : "v1.2.1 not tagged",
      ],
    };
  } finally {
    await e2e.close();
  }
};
