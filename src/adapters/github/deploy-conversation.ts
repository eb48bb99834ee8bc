/** The issue a deploy command came from (Thread) and post-mortem issues, on the Issues API. */
import type { PostMortems, Thread } from "../../ports/deployments.js";
import type { ProgressComments } from "../../ports/progress-comments.js";
import type { Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export class GitHubDeployConversation implements Thread, PostMortems, ProgressComments {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    private readonly issueNumber: number,
  ) {}

  async reply(body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: this.issueNumber, body });
  }

  async create(body: string): Promise<number> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...this.repo,
      issue_number: this.issueNumber,
      body,
    });
    return data.id;
  }

  /** https://docs.github.com/en/rest/issues/comments#update-an-issue-comment */
  async update(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: id, body });
  }

  async open(title: string, body: string): Promise<{ number: number; url: string }> {
    const { data } = await this.octokit.rest.issues.create({
      ...this.repo,
      title,
      body,
      labels: ["post-mortem"],
    });
    return { number: data.number, url: data.html_url };
  }
}
