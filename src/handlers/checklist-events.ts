import type { Context } from "probot";
import { loadConfig } from "../config/load-config.js";
import { checklistCheckNames } from "../domain/checklist/gate-names.js";
import { checklistVersionOf, mightNeedChecklist } from "../domain/checklist/recognize-checklist-pull.js";
import {
  checklistFactsOf,
  checklistPullOf,
  type ChecklistPullFields,
} from "../use-cases/checklist-command.js";
import type { RepoPorts } from "../use-cases/repo-ports.js";
import { runChecklist } from "../use-cases/run-checklist.js";
import { checklistTracks, scheduleChecklist } from "../use-cases/checklist/schedule.js";
import { onlyChecklistChanged } from "../domain/release/release-pr-body.js";
import type { AppDeps, RepoEventContext } from "./app-deps.js";
import { mightMoveChecklist, mightRerunChecklist, shipsFrom } from "./route-predicates.js";
import type { EvaluationScope } from "../use-cases/checklist/memory.js";

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
  const checklist = ports.checklist();
  checklist.memory?.rememberConfig(loaded.config);
  const shipping = checklistVersionOf(checklistFactsOf(pull), loaded.config.release);
  if (!shipping) return false;
  const version = shipping.version;
  const result = await runChecklist(checklist, {
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
  await evaluateWholeNow(deps, context, pull);
};

/** One release PR at one head commit: what evaluations are coalesced and remembered by. */
const headKey = (number: number, sha: string) => `${String(number)}@${sha}`;

/** Every gate of an open PR, evaluated before the delivery is answered (queued behind a running evaluation of that head). */
const evaluateWholeNow = async (
  deps: AppDeps,
  context: RepoEventContext & { log: ChecklistLog },
  pull: PullPayload,
): Promise<void> => {
  const ports = deps.portsFor(context);
  await scheduleChecklist(
    ports.checklist(),
    headKey(pull.number, pull.head.sha),
    "all",
    () => evaluatePull(deps, ports, context.log, pull).then(() => undefined),
    "now",
  );
};

/** A review on a release or hotfix PR: the approvals gate follows it. */
export const handlePullRequestReviewChecklist = async (
  deps: AppDeps,
  context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">,
): Promise<void> => {
  const pull = context.payload.pull_request;
  if (pull.state !== "open") return;
  await evaluateWholeNow(deps, context, pull);
};

const isOwn = (deps: AppDeps, app: { id?: number | null } | null | undefined) =>
  deps.appId !== undefined && app?.id === deps.appId;

/**
 * Evaluates a release PR at the head commit CI reported on: for "checks", only the gates reading
 * check results, from the last evaluation this process remembers of that head (no PR, config or
 * file read); else (or with nothing remembered) in full from the PR as GitHub has it now.
 */
const evaluateHead = async (
  deps: AppDeps,
  ports: RepoPorts,
  log: ChecklistLog,
  head: { number: number; sha: string },
  scope: EvaluationScope,
): Promise<void> => {
  const checklist = ports.checklist();
  const memo = scope === "checks" ? checklist.memory?.evaluation(headKey(head.number, head.sha)) : undefined;
  if (memo) {
    const result = await runChecklist(checklist, { ...memo.request, scope: "checks" });
    for (const gate of result.gates) deps.metrics.gateResult(gate.gate, gate.conclusion ?? "pending");
    log.info(
      { pull: head.number, readiness: result.readiness.status, writes: result.writes, scope },
      "checklist evaluated",
    );
    return;
  }
  const data = await ports.getPull(head.number);
  // The PR moved on: its new head has its own CI round and evaluation.
  if (data.state === "open" && data.head.sha === head.sha) await evaluatePull(deps, ports, log, data);
};

/** The release or hotfix PRs of a head commit CI concluded on, each evaluated in the background. */
const scheduleHeads = async (
  deps: AppDeps,
  ports: RepoPorts,
  log: ChecklistLog,
  sha: string,
  pulls: readonly { number: number; head: { ref: string; sha: string } }[],
  scope: EvaluationScope,
): Promise<void> => {
  const checklist = ports.checklist();
  for (const candidate of pulls) {
    // GitHub lists the PRs whose head is the run's commit; an older head's results move nothing.
    if (!shipsFrom(candidate) || candidate.head.sha !== sha) continue;
    const head = { number: candidate.number, sha };
    await scheduleChecklist(checklist, headKey(head.number, sha), scope, (wider) =>
      evaluateHead(deps, ports, log, head, wider),
    );
  }
};

/**
 * Another app's check suite completed on a release/hotfix PR head: every gate follows CI (a
 * workflow's artifacts, coverage and security reports, are there once its suite completes), with
 * the config read again.
 */
export const handleCheckSuiteCompleted = async (
  deps: AppDeps,
  context: Context<"check_suite.completed">,
): Promise<void> => {
  const suite = context.payload.check_suite;
  if (isOwn(deps, suite.app)) return;
  const ports = deps.portsFor(context);
  await scheduleHeads(deps, ports, context.log, suite.head_sha, suite.pull_requests, "all");
};

/** Only another check than ours, on the head of a release or hotfix PR, moves the gates. */
export const acceptsCheckRunCompleted = (payload: Context<"check_run.completed">["payload"]): boolean =>
  !checklistCheckNames().includes(payload.check_run.name) && mightMoveChecklist(payload);

/**
 * Another app's check run completed on a release/hotfix PR head. A check no gate names costs no
 * call: the config this process last read from the default branch decides (read once, with a
 * conditional request, when it has none). Should that config be older than a change naming the
 * check, the suite's completion, which re-reads the config, evaluates it.
 */
export const handleCheckRunCompleted = async (
  deps: AppDeps,
  context: Context<"check_run.completed">,
): Promise<void> => {
  const run = context.payload.check_run;
  if (isOwn(deps, run.app) || checklistCheckNames().includes(run.name)) return;
  if (!run.pull_requests.some(shipsFrom)) return;
  const ports = deps.portsFor(context);
  const memory = ports.checklist().memory;
  let config = memory?.config();
  if (!config) {
    const loaded = await loadConfig(ports.readFile, ports.repo);
    if (!loaded.ok) return;
    config = loaded.config;
    memory?.rememberConfig(config);
  }
  if (!checklistTracks(config.checklist, run.name)) return;
  await scheduleHeads(deps, ports, context.log, run.head_sha, run.pull_requests, "checks");
};

/** Only the Re-run button of one of our checklist runs on a PR re-creates it. */
export const acceptsCheckRunRerequested = (payload: Context<"check_run.rerequested">["payload"]): boolean =>
  checklistCheckNames().includes(payload.check_run.name) && mightRerunChecklist(payload);

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
