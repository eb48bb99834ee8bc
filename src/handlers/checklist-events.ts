import type { Context } from "probot";
import { loadConfig } from "../config/load-config.js";
import { checklistCheckNames } from "../domain/checklist/gate-registry.js";
import { checklistVersionOf, mightNeedChecklist } from "../domain/checklist/recognize-checklist-pull.js";
import {
  checklistFactsOf,
  checklistPullOf,
  type ChecklistPullFields,
} from "../use-cases/checklist-command.js";
import type { RepoPorts } from "../use-cases/repo-ports.js";
import { runChecklist } from "../use-cases/run-checklist.js";
import { onlyChecklistChanged } from "../domain/release/release-pr-body.js";
import type { AppDeps } from "./app-deps.js";

interface PullPayload extends ChecklistPullFields {
  state?: string;
}

/** Where a checklist evaluation logs. */
interface ChecklistLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Evaluates the checklist on a PR when it is a release or hotfix PR; false when it is not one. */
const evaluatePull = async (
  deps: AppDeps,
  ports: RepoPorts,
  log: ChecklistLog,
  pull: PullPayload,
  force?: boolean | string[],
): Promise<boolean> => {
  if (!mightNeedChecklist(checklistFactsOf(pull))) return false;
  // The gates, thresholds and approvers are policy: read from the default branch (no ref), never
  // from the PR head, which its author (a fork's included) writes. What the PR changes (version
  // files, CHANGELOG, metrics files) is read from the head by the gatherers, as data.
  const loaded = await loadConfig(ports.readFile, ports.repo);
  if (!loaded.ok) {
    log.warn({ errors: loaded.errors }, "release-pilot config invalid; checklist skipped");
    return false;
  }
  const shipping = checklistVersionOf(checklistFactsOf(pull), loaded.config.release);
  if (!shipping) return false;
  const version = shipping.version;
  const result = await runChecklist(ports.checklist(), {
    config: loaded.config,
    pull: checklistPullOf(pull),
    version,
    previousVersion: shipping.previousVersion,
    ...(force !== undefined ? { force } : {}),
  });
  for (const gate of result.gates) deps.metrics.gateResult(gate.gate, gate.conclusion ?? "pending");
  log.info(
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
  pull.state === "open" && mightNeedChecklist(checklistFactsOf(pull));

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
  await evaluatePull(deps, deps.portsFor(context), context.log, pull);
};

/** Only a review on an open PR that might be a release or hotfix PR moves the approvals gate. */
export const acceptsPullRequestReviewChecklist = ({
  pull_request: pull,
}: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">["payload"]): boolean =>
  pull.state === "open" && mightNeedChecklist(checklistFactsOf(pull));

/** A review on a release or hotfix PR: the approvals gate follows it. */
export const handlePullRequestReviewChecklist = async (
  deps: AppDeps,
  context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">,
): Promise<void> => {
  const pull = context.payload.pull_request;
  if (pull.state !== "open") return;
  await evaluatePull(deps, deps.portsFor(context), context.log, pull);
};

const isOwn = (deps: AppDeps, app: { id?: number | null } | null | undefined) =>
  deps.appId !== undefined && app?.id === deps.appId;

/** A PR head branch that a release or hotfix PR comes from. */
const shipsFrom = (pull: { head: { ref: string } }): boolean => /^(release|hotfix)\//.test(pull.head.ref);

/** Reads the PRs of a head commit that another app's CI just concluded on, and evaluates them. */
const evaluateHeadPulls = async (
  deps: AppDeps,
  ports: RepoPorts,
  log: ChecklistLog,
  pulls: readonly { number: number; head: { ref: string } }[],
): Promise<void> => {
  for (const candidate of pulls) {
    if (!shipsFrom(candidate)) continue;
    const data = await ports.getPull(candidate.number);
    if (data.state === "open") await evaluatePull(deps, ports, log, data);
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
  await evaluateHeadPulls(deps, deps.portsFor(context), context.log, suite.pull_requests);
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
  await evaluateHeadPulls(deps, deps.portsFor(context), context.log, run.pull_requests);
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
  const ports = deps.portsFor(context);
  for (const candidate of run.pull_requests) {
    const data = await ports.getPull(candidate.number);
    if (data.state === "open") await evaluatePull(deps, ports, context.log, data, [run.name]);
  }
};
