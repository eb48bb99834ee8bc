import type { Config } from "../config/schema.js";
import { findUpdater } from "../domain/manifests/updater-registry.js";
import { renderPullChecklist } from "../domain/checklist/render-pull-checklist.js";
import { withChecklistSection } from "../domain/release/release-pr-body.js";
import { releaseVersionFiles } from "../domain/release/plan-version-files.js";
import { type Outcome, outcome } from "../domain/outcome.js";
import {
  type EvaluateChecklistDeps,
  type EvaluateChecklistResult,
  evaluateChecklist,
} from "./evaluate-checklist.js";

/** Where files matched by the repository-wide `versionFiles` globs are listed. */
const REPOSITORY = "repository";

export interface RunChecklistDeps extends EvaluateChecklistDeps {
  /** Every file path of the tree at a commit (one call). */
  listPaths(sha: string): Promise<string[]>;
  /** The PR body, read and written whole (GitHub has no partial or conditional body update). */
  pullBody?: {
    read(number: number): Promise<string | null | undefined>;
    update(number: number, body: string): Promise<void>;
  };
}

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
  pullBody: NonNullable<RunChecklistDeps["pullBody"]>,
  pull: ChecklistPull,
  readiness: EvaluateChecklistResult["readiness"],
): Promise<boolean> => {
  const section = renderPullChecklist(readiness);
  if (typeof pull.body === "string" && withChecklistSection(pull.body, section) === undefined) return false;
  const fresh = await pullBody.read(pull.number);
  const next = typeof fresh === "string" ? withChecklistSection(fresh, section) : undefined;
  if (next === undefined) return false;
  await pullBody.update(pull.number, next);
  return true;
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
  },
): Promise<RunChecklistResult> => {
  const paths = await deps.listPaths(input.pull.headSha);
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
  const result = await evaluateChecklist(deps, {
    pr: input.pull,
    version: input.version,
    config: input.config.checklist,
    projects: [...projects.map((project) => projectOf(project.name, project.path)), ...repositoryWide],
    ...(input.previousVersion
      ? { previousTag: `${input.config.release.tagPrefix}${input.previousVersion}` }
      : {}),
    ...(input.force !== undefined ? { force: input.force } : {}),
  });
  const bodyUpdated = deps.pullBody
    ? await updateChecklistSection(deps.pullBody, input.pull, result.readiness)
    : false;
  return { ...result, bodyUpdated };
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
