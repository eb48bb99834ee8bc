import type { Config } from "../config/schema.js";
import { findUpdater } from "../domain/manifests/updater-registry.js";
import { renderPullChecklist } from "../domain/checklist/render-pull-checklist.js";
import { withChecklistSection } from "../domain/release/release-pr-body.js";
import { releaseVersionFiles } from "../domain/release/plan-version-files.js";
import { type TreeReach, versionFileReach } from "../domain/release/version-file-reach.js";
import { type Outcome, outcome } from "../domain/outcome.js";
import type { GateId } from "../domain/checklist/types.js";
import type { Pulls } from "../ports/pulls.js";
import type { EvaluationScope } from "./checklist/memory.js";
import {
  type EvaluateChecklistDeps,
  type EvaluateChecklistResult,
  evaluateChecklist,
} from "./evaluate-checklist.js";

/** Where files matched by the repository-wide `versionFiles` globs are listed. */
const REPOSITORY = "repository";

export interface RunChecklistDeps extends EvaluateChecklistDeps {
  /**
   * The file paths of the tree at a commit under the directories `reach` keeps (the ones a
   * release's version files can be in), so the listing grows with those directories, not with
   * the repository's data (git-data.ts `snapshotTree`).
   */
  listPaths(sha: string, reach: TreeReach): Promise<string[]>;
  /** The PR body is read and written whole (GitHub has no partial or conditional body update). */
  pulls: Pick<Pulls, "listReviews" | "readPullBody" | "updatePullBody">;
  /**
   * Runs work after the webhook is answered (the app's background jobs, which shutdown and tests
   * wait for); absent, the work runs before answering.
   */
  later?: ((name: string, fn: () => Promise<void>) => void) | undefined;
}

/** The gates whose only input is CI's check results: all a check-run completion can move. */
export const CHECK_GATES: readonly GateId[] = ["tests", "integration"];

const isSha = (ref: string) => /^[0-9a-f]{40}$/i.test(ref);

/** What the reach is made of, as a memo key: the same config settings list the same paths. */
const reachKey = (release: Config["release"]): string =>
  JSON.stringify([release.projects, release.versionFiles, release.changelogPath]);

export interface RunChecklistResult extends EvaluateChecklistResult {
  /** Whether the PR body's checklist section was rewritten. */
  bodyUpdated: boolean;
}

/**
 * The release PR body's checklist section follows the verdict: rewritten in place, only when it
 * says something else, with one PATCH at most. The body in hand (the event's) decides whether
 * anything changed; the body is then read again just before writing so that what its author
 * typed since the event is kept (the window left is the few milliseconds of one round trip).
 */
const updateChecklistSection = async (
  pulls: RunChecklistDeps["pulls"],
  pull: { number: number; body?: string | null | undefined },
  readiness: EvaluateChecklistResult["readiness"],
  /** The body in hand was read by this evaluation: no second read. */
  justRead: boolean,
): Promise<{ updated: boolean; body: string | null | undefined }> => {
  const section = renderPullChecklist(readiness);
  if (typeof pull.body === "string" && withChecklistSection(pull.body, section) === undefined)
    return { updated: false, body: pull.body };
  const fresh = justRead ? pull.body : await pulls.readPullBody(pull.number);
  const next = typeof fresh === "string" ? withChecklistSection(fresh, section) : undefined;
  if (next === undefined) return { updated: false, body: fresh };
  await pulls.updatePullBody(pull.number, next);
  return { updated: true, body: next };
};

export interface ChecklistPull {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  body?: string | null | undefined;
}

/**
 * Runs the pre-release checklist on a release or hotfix PR: the projects and their version
 * files come from the head's tree and the release config, the gates from the checklist config.
 */
export const runChecklist = async (
  deps: RunChecklistDeps,
  input: {
    config: Config;
    pull: ChecklistPull;
    version: string;
    /** The release this one follows, when the PR says so (else the latest release is looked up). */
    previousVersion?: string | undefined;
    force?: boolean | string[];
    /**
     * "checks": a CI check completed, so only the gates reading check results are gathered
     * again when this process remembers the last evaluation of this head (else all are).
     */
    scope?: EvaluationScope;
  },
): Promise<RunChecklistResult> => {
  const { memory } = deps;
  const sha = input.pull.headSha;
  const key = `${String(input.pull.number)}@${sha}`;
  const memo = input.scope === "checks" && input.force === undefined ? memory?.evaluation(key) : undefined;
  // A commit's tree never changes: listed once per head and reach (the reach follows the config).
  const reach = versionFileReach(input.config.release);
  const listed = () => deps.listPaths(sha, reach);
  const paths = await (memory && isSha(sha)
    ? memory.bySha(`${sha}:tree:${reachKey(input.config.release)}`, listed)
    : listed());
  // The same files, owned by the same projects, as the release bumps (and the hotfix comment
  // counts): a project's manifests under `k8s/` included, read by the updater that bumps them.
  const { projects, files } = releaseVersionFiles(input.config.release, paths);
  const projectOf = (name: string | undefined, path: string) => ({
    name: name ?? REPOSITORY,
    path,
    versionFiles: files.filter((f) => f.project === name).map((f) => f.path),
    // Only where the release reads a file otherwise than by its name (a manifest's image tag).
    versionReaders: new Map(
      files
        .filter((f) => f.project === name && f.updater.kind !== findUpdater(f.path).kind)
        .map((f) => [f.path, f.updater.readVersion]),
    ),
  });
  const repositoryWide = files.some((f) => f.project === undefined) ? [projectOf(undefined, "")] : [];
  // The body in hand (the event's, else the one this process last read or wrote, else read once
  // here): the compliance gate and the checklist section both use it.
  const justRead = input.pull.body === undefined && !memo;
  const body =
    input.pull.body !== undefined
      ? input.pull.body
      : memo
        ? memo.body
        : await deps.pulls.readPullBody(input.pull.number);
  const pull = { ...input.pull, body };
  const result = await evaluateChecklist(deps, {
    pr: pull,
    version: input.version,
    config: input.config.checklist,
    projects: [...projects.map((project) => projectOf(project.name, project.path)), ...repositoryWide],
    ...(input.previousVersion
      ? { previousTag: `${input.config.release.tagPrefix}${input.previousVersion}` }
      : {}),
    ...(input.force !== undefined ? { force: input.force } : {}),
    ...(memo ? { reuse: { only: CHECK_GATES, gates: memo.gates, runs: memo.runs } } : {}),
  });
  const section = await updateChecklistSection(deps.pulls, pull, result.readiness, justRead);
  const { number, headSha, headRef, baseRef } = input.pull;
  memory?.remember(key, {
    request: {
      config: input.config,
      pull: { number, headSha, headRef, baseRef },
      version: input.version,
      previousVersion: input.previousVersion,
    },
    gates: result.gates,
    runs: result.runs,
    body: section.body,
  });
  return { ...result, bodyUpdated: section.updated };
};

/** The `/checklist` reply: each gate's state, the aggregate first. */
export const renderChecklistReply = (version: string, result: EvaluateChecklistResult): Outcome => {
  const icon = (status: string) =>
    status === "pass"
      ? "✅"
      : status === "pending"
        ? "⏳"
        : status === "fail" || status === "missing" || status === "error"
          ? "❌"
          : "➖";
  const rows = result.gates.map((gate) => `| ${icon(gate.status)} | ${gate.name} | ${gate.title} |`);
  return outcome(
    "done",
    [
      `**Release readiness for ${version}: ${result.readiness.status === "pass" ? "ready ✅" : "not ready ❌"}** — ${result.readiness.title}`,
      "",
      "| | Gate | Result |",
      "| --- | --- | --- |",
      ...rows,
      "",
      `${result.writes} check run(s) updated.`,
    ].join("\n"),
  );
};
