import { routes } from "../src/index.js";
import type { RequestRecord } from "../sandbox/github/index.js";
import { type EndToEnd, startEndToEnd } from "../sandbox/harness/e2e.js";
import { seedMonorepo } from "./monorepo30.js";

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface CallBreakdown {
  calls: number;
  reads: number;
  writes: number;
  /** operationId → count, from GitHub's OpenAPI description. */
  byOperation: Record<string, number>;
}

export interface ApiCallFigures {
  counts: Record<
    "release" | "release30" | "checklist" | "ship" | "deploy" | "rollback" | "ignored",
    number | null
  >;
  details: Record<string, CallBreakdown>;
  /** Why a figure is null, or what it includes. */
  notes: Record<string, string>;
  /** Status GitHub gave the config read of a second command on unchanged config (304 = free). */
  configRereadStatus: number | null;
}

/** The app's own API calls (installation token included); the archive download is not an API call. */
export const appRequests = (requests: readonly RequestRecord[]) =>
  requests.filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/"));

export const breakdown = (requests: readonly RequestRecord[]): CallBreakdown => {
  const mine = appRequests(requests);
  const byOperation: Record<string, number> = {};
  for (const r of mine)
    byOperation[r.operationId ?? r.path] = (byOperation[r.operationId ?? r.path] ?? 0) + 1;
  // A GraphQL query is a POST that only reads.
  const writes = mine.filter((r) => WRITE.has(r.method) && r.operationId !== "graphql").length;
  return { calls: mine.length, reads: mine.length - writes, writes, byOperation };
};

const WORKFLOW = `name: Publish Docker Images
on:
  workflow_dispatch:
    inputs:
      version:
        required: true
jobs: {}
`;

/** Runs `act`, waits for the app to finish, and returns the API calls it caused. */
const measure = async (e2e: EndToEnd, act: () => Promise<unknown> | unknown): Promise<CallBreakdown> => {
  await e2e.sandbox.settled();
  e2e.sandbox.resetRequests();
  await act();
  await e2e.sandbox.settled({ timeoutMs: 60_000 });
  return breakdown(e2e.sandbox.requests);
};

/**
 * `/release` alone: the comment's handling ends with its final reaction; what follows is the
 * work the new PR's own events cause (the checklist), counted under `checklist`. Deliveries
 * are sequential, so nothing of theirs runs before that reaction.
 */
const releaseOn = async (e2e: EndToEnd, repo: string, version: string) => {
  const issue = await e2e.sandbox.openIssue(repo, "maintainer", { title: `Release ${version}` });
  await measure(e2e, () => e2e.sandbox.comment(repo, issue, "maintainer", `/release ${version}`));
  const all = appRequests(e2e.sandbox.requests);
  const last = all.map((r) => r.operationId).lastIndexOf("reactions/create-for-issue-comment");
  const calls = breakdown(all.slice(0, last + 1));
  const reply = e2e.sandbox.issue(repo, issue).comments.at(-1)?.body ?? "";
  if (!reply.includes(`Release **v${version}** is cut`))
    throw new Error(`bench: /release on ${repo} answered: ${reply}`);
  return calls;
};

const hasRoute = (prefix: string) => routes.some((r) => r.event.startsWith(prefix));

/**
 * API calls per operation against the sandbox GitHub, counted at its HTTP layer. An operation
 * the app does not offer yet is recorded as null with the reason.
 */
export const benchApiCalls = async (): Promise<ApiCallFigures> => {
  const clock = { now: () => new Date("2025-01-15T10:00:00Z") };
  const e2e = await startEndToEnd({ clock });
  const figures: ApiCallFigures = {
    counts: {
      release: null,
      release30: null,
      checklist: null,
      ship: null,
      deploy: null,
      rollback: null,
      ignored: null,
    },
    details: {},
    notes: {},
    configRereadStatus: null,
  };
  const record = (name: keyof ApiCallFigures["counts"], calls: CallBreakdown) => {
    figures.counts[name] = calls.calls;
    figures.details[name] = calls;
  };
  try {
    const { sandbox, repo } = e2e;
    await sandbox.pushCommit(repo, "maintainer", "develop", "ci: publish images on dispatch", {
      ".github/workflows/publish-images.yml": WORKFLOW,
    });
    record("release", await releaseOn(e2e, repo, "1.2.0"));
    figures.notes.release =
      "demo monorepo (3 services × 3 files + CHANGELOG); token, reactions, config, permission, reads, writes, reply";

    // The same command again on unchanged config: the config read is conditional (ETag).
    const again = await sandbox.openIssue(repo, "developer", { title: "again" });
    await measure(e2e, () => sandbox.comment(repo, again, "developer", "/release 1.2.0"));
    const reread = appRequests(sandbox.requests).find((r) => r.operationId === "repos/get-content");
    figures.configRereadStatus = reread?.status ?? null;

    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")?.number;
    if (hasRoute("check_suite") || hasRoute("check_run")) {
      record(
        "checklist",
        await measure(e2e, () =>
          sandbox.pushCommit(repo, "developer", "release/v1.2.0", "docs: notes", { "docs/notes.md": "x\n" }),
        ),
      );
      figures.notes.checklist =
        "one push to the release PR (check_suite.requested → evaluate, write check runs)";
    } else figures.notes.checklist = "not wired yet: no check_suite/check_run route in src/index.ts";

    if (pull && hasRoute("pull_request.closed")) {
      record("ship", await measure(e2e, () => sandbox.mergePullRequest(repo, pull, "maintainer")));
      figures.notes.ship =
        "merge of the release PR → tag, draft release, image dispatch, back-merge, comments";
    } else figures.notes.ship = "not available: no release PR or no pull_request.closed route";

    const ignored = await measure(e2e, async () => {
      const issue = await sandbox.openIssue(repo, "developer", { title: "question" });
      sandbox.comment(repo, issue, "developer", "LGTM, thanks! (not a command)");
      await sandbox.pushCommit(repo, "developer", "feature/x", "docs: x", { "docs/x.md": "x\n" });
      const pr = await sandbox.openPullRequest(repo, "developer", {
        head: "feature/x",
        base: "develop",
        title: "docs: x",
      });
      await sandbox.settled();
      await sandbox.mergePullRequest(repo, pr, "maintainer");
    });
    record("ignored", ignored);
    figures.notes.ignored = "an issue, a plain comment, a push, a non-release PR opened and merged";

    const repo30 = await seedMonorepo(sandbox, e2e.admin, 30);
    record("release30", await releaseOn(e2e, repo30, "1.2.0"));
    figures.notes.release30 = "30 services × 3 version files + CHANGELOG";
  } finally {
    await e2e.close();
  }
  return figures;
};
