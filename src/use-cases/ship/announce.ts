import { renderShippedComment, shippedMarker, type ShippedLinks } from "../../domain/ship/shipped-comment.js";
import type { ShipGitHub } from "../../ports/ship.js";

/**
 * Posts the comment of one shipment once per thread. A later run (redelivery) leaves it as it is:
 * the first one holds the facts as they happened (a re-run would say "already up to date").
 */
export const postShippedComment = async (
  github: Pick<ShipGitHub, "findComment" | "postComment">,
  issue: number,
  links: ShippedLinks,
): Promise<void> => {
  const body = renderShippedComment(links);
  const existing = await github.findComment(issue, shippedMarker(links.tag));
  if (!existing) await github.postComment(issue, body);
};

/** The PR and the issue that asked for the shipment get every link; the issue is closed. */
export const announceShipment = async (
  github: Pick<ShipGitHub, "findComment" | "postComment" | "getIssue" | "closeIssue">,
  input: { pull: number; issue?: number | undefined; links: ShippedLinks },
): Promise<void> => {
  await postShippedComment(github, input.pull, input.links);
  if (input.issue === undefined || input.issue === input.pull) return;
  const issue = await github.getIssue(input.issue);
  if (!issue || issue.isPull) return;
  await postShippedComment(github, input.issue, input.links);
  if (issue.state === "open") await github.closeIssue(input.issue);
};
