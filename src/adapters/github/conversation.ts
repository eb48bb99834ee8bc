import { isPermissionLevel, type PermissionLevel } from "../../domain/commands/permission.js";
import { httpStatusOf, type Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export type Reaction = "eyes" | "rocket" | "confused" | "+1";

/** Adds a reaction; false when this app had already put the same one there (GitHub answers 200). */
export const addReaction = async (
  octokit: Octokit,
  repo: RepoRef,
  commentId: number,
  content: Reaction,
): Promise<boolean> => {
  const response = await octokit.rest.reactions.createForIssueComment({
    ...repo,
    comment_id: commentId,
    content,
  });
  return (response.status as number) === 201;
};

export const postComment = async (
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
): Promise<{ id: number; url: string }> => {
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return { id: data.id, url: data.html_url };
};

/**
 * The commenter's permission on the repository, read from the API (never from
 * `author_association`). `role_name` carries maintain and triage; `permission` only the legacy levels.
 */
export const getPermission = async (
  octokit: Octokit,
  repo: RepoRef,
  username: string,
): Promise<PermissionLevel> => {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const role = data.role_name;
    if (isPermissionLevel(role)) return role;
    return isPermissionLevel(data.permission) ? data.permission : "none";
  } catch (error) {
    if (httpStatusOf(error) === 404) return "none";
    throw error;
  }
};
