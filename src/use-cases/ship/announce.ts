import { renderShippedComment, shippedMarker, type ShippedLinks } from "../../domain/ship/shipped-comment.js";
import type { Issues } from "../../ports/issues.js";

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

/** The PR and the issue that asked for the shipment get every link; the issue is closed. */
export const announceShipment = async (
  deps: { issues: Pick<Issues, "findComment" | "postComment" | "getIssue" | "closeIssue"> },
  input: { pull: number; issue?: number | undefined; links: ShippedLinks },
): Promise<void> => {
  const { issues } = deps;
  await postShippedComment(deps, { issue: input.pull, links: input.links });
  if (input.issue === undefined || input.issue === input.pull) return;
  const issue = await issues.getIssue(input.issue);
  if (!issue || issue.isPull) return;
  await postShippedComment(deps, { issue: input.issue, links: input.links });
  if (issue.state === "open") await issues.closeIssue(input.issue);
};
