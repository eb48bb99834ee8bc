import type { ReasonCode } from "../domain/outcome.js";

/** How a rollout watched by the deploy capability ended. */
export const rolloutResults = ["succeeded", "failed", "timed-out", "rolled-back", "cancelled"] as const;
export type RolloutResult = (typeof rolloutResults)[number];

/** The conclusions GitHub accepts for a completed check run, plus `pending` for one still running. */
export const gateConclusions = [
  "success",
  "failure",
  "neutral",
  "action_required",
  "cancelled",
  "skipped",
  "timed_out",
  "pending",
] as const;
export type GateConclusion = (typeof gateConclusions)[number];

/**
 * What the app tells its operators, one call per fact. Arguments are names from closed sets
 * (command names, event names, route templates, gate ids, configured environments and
 * services), never user-written text: implementations turn them into label values.
 */
export interface Metrics {
  /** A slash command (e.g. "release") ended with this outcome. */
  commandOutcome(command: string, reason: ReasonCode): void;
  /** A webhook delivery ("issue_comment.created") was handled in this many seconds. */
  webhookHandled(event: string, seconds: number): void;
  /** A webhook delivery ("push", "pull_request.opened") no handler acts on was answered at once. */
  webhookIgnored(event: string): void;
  /**
   * One GitHub API call: `route` is the template ("GET /repos/{owner}/{repo}/pulls"), not the URL;
   * `status` is 0 when no answer came back.
   */
  githubRequest(installationId: number, route: string, status: number): void;
  /** The `x-ratelimit-remaining` GitHub last reported for this installation. */
  rateLimitRemaining(installationId: number, remaining: number): void;
  /** A watched rollout of `service` in environment `env` ended after this many seconds. */
  rolloutFinished(env: string, service: string, result: RolloutResult, seconds: number): void;
  /** A checklist gate ("coverage", "readiness") concluded. */
  gateResult(gate: string, conclusion: GateConclusion): void;
}

/** Counts nothing: for tests and for runs where nobody scrapes. */
export const noopMetrics: Metrics = {
  commandOutcome: () => undefined,
  webhookHandled: () => undefined,
  webhookIgnored: () => undefined,
  githubRequest: () => undefined,
  rateLimitRemaining: () => undefined,
  rolloutFinished: () => undefined,
  gateResult: () => undefined,
};
