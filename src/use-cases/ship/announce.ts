import {
  isShipComplete,
  parseShipState,
  renderShipProgress,
  type ShipProgress,
  shipProgressMarker,
  type ShipSystem,
} from "../../domain/ship/ship-progress.js";
import { renderShippedComment, shippedMarker, type ShippedLinks } from "../../domain/ship/shipped-comment.js";
import type { Issues } from "../../ports/issues.js";
import { RefRefusedError } from "../../ports/ref-refused.js";

/**
 * Posts the comment of one shipment once per thread. A later run (redelivery) leaves it as it is:
 * the first one holds the facts as they happened (a re-run would say "already up to date").
 */
export const postShippedComment = async (
  deps: { issues: Pick<Issues, "findComment" | "postComment"> },
  input: { issue: number; links: ShippedLinks },
): Promise<void> => {
  const body = renderShippedComment(input.links);
  const existing = await deps.issues.findComment(input.issue, shippedMarker(input.links.tag));
  if (!existing) await deps.issues.postComment(input.issue, body);
};

/** The tracking issue of a shipment (a real issue, not a PR, and not the PR itself), if any. */
export const resolveTrackingIssue = async (
  deps: { issues: Pick<Issues, "getIssue"> },
  input: { pull: number; issue?: number | undefined },
): Promise<{ number: number; state: "open" | "closed" } | undefined> => {
  if (input.issue === undefined || input.issue === input.pull) return undefined;
  const issue = await deps.issues.getIssue(input.issue);
  return issue && !issue.isPull ? { number: input.issue, state: issue.state } : undefined;
};

const statusOf = (error: unknown): number | undefined => {
  const status =
    typeof error === "object" && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === "number" ? status : undefined;
};

/**
 * What a failed step says, named after the system that failed: a ref write GitHub refused (its
 * own sentence, with what to do), an MLflow error, or the status GitHub answered (Octokit's
 * RequestError carries it); anything else points to the logs.
 */
export const shipFailureOf = (error: unknown): { system: ShipSystem; message: string } => {
  if (error instanceof RefRefusedError) return { system: "GitHub", message: error.message };
  const status = statusOf(error);
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === "MlflowError")
    return {
      system: "MLflow",
      message: status !== undefined ? `MLflow answered ${status}.` : "MLflow could not be reached.",
    };
  return {
    system: "GitHub",
    message:
      status !== undefined
        ? `GitHub answered ${status}.`
        : "GitHub could not be reached or answered unexpectedly (the app's logs hold the details).",
  };
};

/**
 * The progress comment on the PR and on the tracking issue: one per thread, edited in place
 * (never a second one). `onlyExisting`: a completed run only edits a comment a failed run left,
 * and only when it does not already say so; a shipment that never failed posts none (and reads
 * only the PR's comments for it).
 */
export const tellProgress = async (
  deps: { issues: Pick<Issues, "findComment" | "postComment" | "updateComment"> },
  input: { pull: number; issue?: number | undefined; progress: ShipProgress; onlyExisting: boolean },
): Promise<void> => {
  const body = renderShipProgress(input.progress);
  const complete = isShipComplete(input.progress);
  for (const thread of input.issue === undefined ? [input.pull] : [input.pull, input.issue]) {
    const existing = await deps.issues.findComment(thread, shipProgressMarker(input.progress.tag));
    if (existing) {
      if (existing.body.trim() === body.trim()) continue;
      if (complete && parseShipState(existing.body)?.complete) continue;
      await deps.issues.updateComment(existing.id, body);
    } else if (!input.onlyExisting) {
      await deps.issues.postComment(thread, body);
    } else {
      // A failure is told on the PR first: without a comment there, none is on the issue either.
      return;
    }
  }
};
