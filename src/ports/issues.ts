/**
 * Issues and their conversation (GitHub's Issues, Reactions and Collaborators APIs): comments,
 * reactions, labels, an issue's state, and who may do what in the repository.
 */
import type { PermissionLevel } from "../domain/commands/permission.js";

export type Reaction = "eyes" | "rocket" | "confused" | "+1";

export interface Issues {
  /** This app's comment holding `marker`, if one was posted already. */
  findComment(issue: number, marker: string): Promise<{ id: number; url: string; body: string } | undefined>;
  postComment(issue: number, body: string): Promise<{ id: number; url: string }>;
  updateComment(id: number, body: string): Promise<void>;
  /** Adds a reaction to a comment; false when this app had already put the same one there. */
  addReaction(commentId: number, content: Reaction): Promise<boolean>;
  getIssue(number: number): Promise<{ state: "open" | "closed"; title: string; isPull: boolean } | undefined>;
  openIssue(issue: { title: string; body: string; labels: readonly string[] }): Promise<{
    number: number;
    url: string;
  }>;
  closeIssue(number: number): Promise<void>;
  /** Adds labels to an issue or PR (labels it already has are kept; missing ones are created). */
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  /** The open issue where this app replied with the PR's link (the `/release` that cut it). */
  findIssueLinking(pullUrl: string): Promise<number | undefined>;
  /** A user's permission on the repository, read from the API (never from `author_association`). */
  permissionOf(user: string): Promise<PermissionLevel>;
}
