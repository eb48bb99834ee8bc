/**
 * Issues and their conversation over GitHub's Issues, Reactions and Collaborators APIs
 * (https://docs.github.com/en/rest/issues, /reactions/reactions, /collaborators/collaborators).
 */
import { isPermissionLevel, type PermissionLevel } from "../../domain/commands/permission.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import type { Issues, Reaction } from "../../ports/issues.js";
import { httpStatusOf, type Octokit, orAbsent } from "./octokit.js";

const MAX_ISSUES_SCANNED = 20;

export class GitHubIssues implements Issues {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async findComment(issue: number, marker: string) {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: issue,
      per_page: 100,
    });
    const found = comments.find((c) => c.user?.type === "Bot" && (c.body ?? "").includes(marker));
    return found ? { id: found.id, url: found.html_url, body: found.body ?? "" } : undefined;
  }

  async postComment(issue: number, body: string): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...this.repo,
      issue_number: issue,
      body,
    });
    return { id: data.id, url: data.html_url };
  }

  /** https://docs.github.com/en/rest/issues/comments#update-an-issue-comment */
  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: id, body });
  }

  /** GitHub answers 201 for a new reaction and 200 when this app had already put the same one there. */
  async addReaction(commentId: number, content: Reaction): Promise<boolean> {
    const response = await this.octokit.rest.reactions.createForIssueComment({
      ...this.repo,
      comment_id: commentId,
      content,
    });
    return (response.status as number) === 201;
  }

  async getIssue(number: number) {
    const found = await orAbsent(() => this.octokit.rest.issues.get({ ...this.repo, issue_number: number }));
    if (!found) return undefined;
    const { data } = found;
    return {
      state: data.state === "closed" ? ("closed" as const) : ("open" as const),
      title: data.title,
      isPull: data.pull_request !== undefined,
    };
  }

  async openIssue(issue: { title: string; body: string; labels: readonly string[] }) {
    const { data } = await this.octokit.rest.issues.create({
      ...this.repo,
      title: issue.title,
      body: issue.body,
      labels: [...issue.labels],
    });
    return { number: data.number, url: data.html_url };
  }

  async closeIssue(number: number): Promise<void> {
    await this.octokit.rest.issues.update({
      ...this.repo,
      issue_number: number,
      state: "closed",
      state_reason: "completed",
    });
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: number, labels: [...labels] });
  }

  async findIssueLinking(pullUrl: string): Promise<number | undefined> {
    const { data } = await this.octokit.rest.issues.listForRepo({
      ...this.repo,
      state: "open",
      per_page: MAX_ISSUES_SCANNED,
    });
    for (const issue of data.filter((i) => !i.pull_request)) {
      const { data: comments } = await this.octokit.rest.issues.listComments({
        ...this.repo,
        issue_number: issue.number,
        per_page: 100,
      });
      if (comments.some((c) => c.user?.type === "Bot" && (c.body ?? "").includes(pullUrl)))
        return issue.number;
    }
    return undefined;
  }

  /**
   * `role_name` carries maintain and triage; `permission` only the legacy levels
   * (https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user).
   */
  async permissionOf(user: string): Promise<PermissionLevel> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        ...this.repo,
        username: user,
      });
      const role = data.role_name;
      if (isPermissionLevel(role)) return role;
      return isPermissionLevel(data.permission) ? data.permission : "none";
    } catch (error) {
      if (httpStatusOf(error) === 404) return "none";
      throw error;
    }
  }
}
