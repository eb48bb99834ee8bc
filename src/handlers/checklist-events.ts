import type { Context } from "probot";
import { createChecklistSource } from "../adapters/github/checklist-source.js";
import { createChecklistCheckRuns } from "../adapters/github/checklist-check-runs.js";
import type { Octokit } from "../adapters/github/octokit.js";
import type { RepoRef } from "../domain/repo-ref.js";
import { createRepoFileReader } from "../adapters/github/read-repo-file.js";
import { mlflowRegistryFor } from "../adapters/mlflow/mlflow-registry-for.js";
import { defaultOperatorSettings } from "../config/operator-settings.js";
import { loadConfig } from "../config/load-config.js";
import { checklistCheckNames } from "../domain/checklist/index.js";
import {
  type ChecklistPullFacts,
  checklistVersionOf,
  mightNeedChecklist,
} from "../domain/checklist/recognize-checklist-pull.js";
import type { Command } from "../domain/commands/command.js";
import { outcome } from "../domain/outcome.js";
import { onlyChecklistChanged } from "../domain/release/release-pr-body.js";
import {
  type ChecklistPull,
  renderChecklistReply,
  runChecklist,
  type RunChecklistDeps,
} from "../use-cases/run-checklist.js";
import type { CommandRunner } from "./command-context.js";
import type { AppDeps } from "./app-deps.js";

/** The ports of one checklist evaluation, over one installation's Octokit. */
export const checklistDeps = (deps: AppDeps, octokit: Octokit, repo: RepoRef): RunChecklistDeps => ({
  source: createChecklistSource(
    octokit,
    repo,
    deps.artifactCache ? { artifactCache: deps.artifactCache } : {},
  ),
  checkRuns: createChecklistCheckRuns(octokit, repo, deps.appId ? { appId: deps.appId } : {}),
  // Where MLflow is and with what token: the operator's settings for this repository, never its config.
  models: mlflowRegistryFor(deps.operator ?? defaultOperatorSettings(), repo, deps.env ?? process.env),
  listPaths: async (sha) => {
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: sha, recursive: "true" });
    return data.tree.flatMap((entry) => (entry.type === "blob" && entry.path ? [entry.path] : []));
  },
  // The release PR body's checklist section (GET and PATCH /repos/{owner}/{repo}/pulls/{number}).
  pullBody: {
    read: async (number) => (await octokit.rest.pulls.get({ ...repo, pull_number: number })).data.body,
    update: async (number, body) => {
      await octokit.rest.pulls.update({ ...repo, pull_number: number, body });
    },
  },
});

interface PullPayload {
  number: number;
  state?: string;
  body?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels?: { name?: string }[];
}

const factsOf = (pull: PullPayload): ChecklistPullFacts => ({
  head: pull.head.ref,
  base: pull.base.ref,
  body: pull.body,
  labels: (pull.labels ?? []).flatMap((l) => (l.name ? [l.name] : [])),
});

const pullOf = (pull: PullPayload): ChecklistPull => ({
  number: pull.number,
  headSha: pull.head.sha,
  headRef: pull.head.ref,
  baseRef: pull.base.ref,
  ...(pull.body !== undefined ? { body: pull.body } : {}),
});

/** Evaluates the checklist on a PR when it is a release or hotfix PR; false when it is not one. */
export const evaluatePull = async (
  deps: AppDeps,
  context: Context,
  pull: PullPayload,
  force?: boolean | string[],
): Promise<boolean> => {
  if (!mightNeedChecklist(factsOf(pull))) return false;
  const octokit = context.octokit as Octokit;
  const repo = context.repo();
  // The gates, thresholds and approvers are policy: read from the default branch (no ref), never
  // from the PR head, which its author (a fork's included) writes. What the PR changes (version
  // files, CHANGELOG, metrics files) is read from the head by the gatherers, as data.
  const loaded = await loadConfig(createRepoFileReader(octokit, deps.fileCache), repo);
  if (!loaded.ok) {
    context.log.warn({ errors: loaded.errors }, "release-pilot config invalid; checklist skipped");
    return false;
  }
  const shipping = checklistVersionOf(factsOf(pull), loaded.config.release);
  if (!shipping) return false;
  const version = shipping.version;
  const result = await runChecklist(checklistDeps(deps, octokit, repo), {
    config: loaded.config,
    pull: pullOf(pull),
    version,
    previousVersion: shipping.previousVersion,
    ...(force !== undefined ? { force } : {}),
  });
  for (const gate of result.gates) deps.metrics.gateResult(gate.gate, gate.conclusion ?? "pending");
  context.log.info(
    {
      pull: pull.number,
      version,
      readiness: result.readiness.status,
      writes: result.writes,
      bodyUpdated: result.bodyUpdated,
    },
    "checklist evaluated",
  );
  return true;
};

type PullEvent =
  "pull_request.opened" | "pull_request.reopened" | "pull_request.synchronize" | "pull_request.edited";

/** Only an open PR that might be a release or hotfix PR gets a checklist. */
export const acceptsPullRequestChecklist = ({ pull_request: pull }: Context<PullEvent>["payload"]): boolean =>
  pull.state === "open" && mightNeedChecklist(factsOf(pull));

/** A release or hotfix PR opened, pushed to, or edited (its compliance task list): evaluate. */
export const handlePullRequestChecklist = async (
  deps: AppDeps,
  context: Context<PullEvent>,
): Promise<void> => {
  const pull = context.payload.pull_request;
  if (pull.state !== "open") return;
  // The checklist section rewritten by this app's last evaluation: nothing new to evaluate.
  const changes = "changes" in context.payload ? context.payload.changes : undefined;
  const from = changes && "body" in changes ? changes.body?.from : undefined;
  if (typeof from === "string" && onlyChecklistChanged(from, pull.body ?? "")) return;
  await evaluatePull(deps, context as unknown as Context, pull);
};

/** Only a review on an open PR that might be a release or hotfix PR moves the approvals gate. */
export const acceptsPullRequestReviewChecklist = ({
  pull_request: pull,
}: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">["payload"]): boolean =>
  pull.state === "open" && mightNeedChecklist(factsOf(pull));

/** A review on a release or hotfix PR: the approvals gate follows it. */
export const handlePullRequestReviewChecklist = async (
  deps: AppDeps,
  context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">,
): Promise<void> => {
  const pull = context.payload.pull_request;
  if (pull.state !== "open") return;
  await evaluatePull(deps, context as unknown as Context, pull);
};

const isOwn = (deps: AppDeps, app: { id?: number | null } | null | undefined) =>
  deps.appId !== undefined && app?.id === deps.appId;

/** A PR head branch that a release or hotfix PR comes from. */
const shipsFrom = (pull: { head: { ref: string } }): boolean => /^(release|hotfix)\//.test(pull.head.ref);

/** Reads the PRs of a head commit that another app's CI just concluded on, and evaluates them. */
const evaluateHeadPulls = async (
  deps: AppDeps,
  context: Context,
  pulls: readonly { number: number; head: { ref: string } }[],
): Promise<void> => {
  for (const candidate of pulls) {
    if (!shipsFrom(candidate)) continue;
    const octokit = context.octokit as Octokit;
    const { data } = await octokit.rest.pulls.get({ ...context.repo(), pull_number: candidate.number });
    if (data.state === "open") await evaluatePull(deps, context, data);
  }
};

/** Only a suite on the head of a release or hotfix PR moves the gates. */
export const acceptsCheckSuiteCompleted = ({
  check_suite: suite,
}: Context<"check_suite.completed">["payload"]): boolean => suite.pull_requests.some(shipsFrom);

/** Another app's check suite completed on a release/hotfix PR head: the gates follow CI. */
export const handleCheckSuiteCompleted = async (
  deps: AppDeps,
  context: Context<"check_suite.completed">,
): Promise<void> => {
  const suite = context.payload.check_suite;
  if (isOwn(deps, suite.app)) return;
  await evaluateHeadPulls(deps, context as unknown as Context, suite.pull_requests);
};

/** Only another check than ours, on the head of a release or hotfix PR, moves the gates. */
export const acceptsCheckRunCompleted = ({
  check_run: run,
}: Context<"check_run.completed">["payload"]): boolean =>
  !checklistCheckNames().includes(run.name) && run.pull_requests.some(shipsFrom);

/** Another app's check run completed on a release/hotfix PR head. */
export const handleCheckRunCompleted = async (
  deps: AppDeps,
  context: Context<"check_run.completed">,
): Promise<void> => {
  const run = context.payload.check_run;
  if (isOwn(deps, run.app) || checklistCheckNames().includes(run.name)) return;
  await evaluateHeadPulls(deps, context as unknown as Context, run.pull_requests);
};

/** Only the Re-run button of one of our checklist runs on a PR re-creates it. */
export const acceptsCheckRunRerequested = ({
  check_run: run,
}: Context<"check_run.rerequested">["payload"]): boolean =>
  checklistCheckNames().includes(run.name) && run.pull_requests.length > 0;

/** The Re-run button on one of our checklist runs: re-create that run even when unchanged. */
export const handleCheckRunRerequested = async (
  deps: AppDeps,
  context: Context<"check_run.rerequested">,
): Promise<void> => {
  const run = context.payload.check_run;
  if (!checklistCheckNames().includes(run.name)) return;
  if (deps.appId !== undefined && run.app?.id !== deps.appId) return;
  const octokit = context.octokit as Octokit;
  for (const candidate of run.pull_requests) {
    const { data } = await octokit.rest.pulls.get({ ...context.repo(), pull_number: candidate.number });
    if (data.state === "open") await evaluatePull(deps, context as unknown as Context, data, [run.name]);
  }
};

/** `/checklist` on a release or hotfix PR: evaluate now and answer with every gate's state. */
export const createChecklistRunner =
  (deps: AppDeps): CommandRunner<Extract<Command, { name: "checklist" }>> =>
  async (context) => {
    if (!context.issue.isPullRequest) {
      return outcome(
        "bad-command",
        "`/checklist` runs on a release or hotfix pull request, not on an issue.",
      );
    }
    const { data } = await context.octokit.rest.pulls.get({
      ...context.repo,
      pull_number: context.issue.number,
    });
    const shipping = checklistVersionOf(factsOf(data), context.config.release);
    if (data.state !== "open" || !shipping) {
      return outcome("bad-command", "`/checklist` runs on an open release or hotfix pull request into main.");
    }
    const version = shipping.version;
    const result = await runChecklist(checklistDeps(deps, context.octokit, context.repo), {
      config: context.config,
      pull: pullOf(data),
      version,
      previousVersion: shipping.previousVersion,
      force: true,
    });
    return renderChecklistReply(version, result);
  };

/** The app's dependencies with the runners that need the dependencies themselves. */
export const withChecklistRunner = (deps: AppDeps): AppDeps => {
  deps.runners = { ...deps.runners, checklist: createChecklistRunner(deps) };
  return deps;
};
