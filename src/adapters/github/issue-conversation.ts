/** The issue a command came from, over the issues port: replies and a progress comment kept up to date. */
import type { Thread } from "../../ports/deployments.js";
import type { Issues } from "../../ports/issues.js";
import type { ProgressComments } from "../../ports/progress-comments.js";

export type Conversation = Thread & ProgressComments;

export const issueConversation = (
  issues: Pick<Issues, "postComment" | "updateComment">,
  issueNumber: number,
): Conversation => ({
  async reply(body) {
    await issues.postComment(issueNumber, body);
  },
  async create(body) {
    return (await issues.postComment(issueNumber, body)).id;
  },
  update: (id, body) => issues.updateComment(id, body),
});
