import { renderShippedComment, shippedMarker, type ShippedLinks } from "../../domain/ship/shipped-comment.js";
import type { ShipGitHub } from "../../ports/ship.js";

/** Posts (or refreshes) the comment of one shipment; never a second one on the same thread. */
export const upsertShippedComment = async (
  github: Pick<ShipGitHub, "findComment" | "postComment" | "updateComment">,
  issue: number,
  links: ShippedLinks,
): Promise<void> => {
  const body = renderShippedComment(links);
  const existing = await github.findComment(issue, shippedMarker(links.tag));
  if (existing) await github.updateComment(existing.id, body);
  else await github.postComment(issue, body);
};

/** The PR and the issue that asked for the shipment get every link; the issue is closed. */
export const announceShipment = async (
  github: Pick<ShipGitHub, "findComment" | "postComment" | "updateComment" | "getIssue" | "closeIssue">,
  input: { pull: number; issue?: number | undefined; links: ShippedLinks },
): Promise<void> => {
  await upsertShippedComment(github, input.pull, input.links);
  if (input.issue === undefined || input.issue === input.pull) return;
  const issue = await github.getIssue(input.issue);
  if (!issue || issue.isPull) return;
  await upsertShippedComment(github, input.issue, input.links);
  if (issue.state === "open") await github.closeIssue(input.issue);
};
