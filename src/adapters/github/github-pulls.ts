/**
 * Pull requests over GitHub's Pulls API (https://docs.github.com/en/rest/pulls/pulls,
 * /pulls/reviews). The PR that shipped a version is found with one filtered list call (the
 * release PR's head branch names the version); only when there is none is a page of recently
 * closed PRs into the main branch read, for the hotfix or revert PR whose marker carries it.
 */
import type { ShippingPull } from "../../domain/deploy/evaluate-deploy-approvals.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { parseShipMarker } from "../../domain/ship/ship-marker.js";
import type { MergedPullSummary, OpenPullSummary, PullRef, PullReview, Pulls } from "../../ports/pulls.js";
import { httpStatusOf, type Octokit } from "./octokit.js";

interface ListedPull {
  number: number;
  html_url: string;
  body: string | null;
  merged_at: string | null;
}

const toShippingPull = (pull: ListedPull): ShippingPull => {
  const issue = parseShipMarker(pull.body)?.issue;
  return { number: pull.number, url: pull.html_url, ...(issue ? { issue } : {}) };
};

export class GitHubPulls implements Pulls {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async findOpenPull(head: string, base: string): Promise<PullRef | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "open",
      head: `${this.repo.owner}:${head}`,
      base,
      per_page: 10,
    });
    const pull = data[0];
    return pull
      ? { number: pull.number, url: pull.html_url, labels: pull.labels.map((l) => l.name) }
      : undefined;
  }

  async createPull(pull: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<PullRef | "exists"> {
    try {
      const { data } = await this.octokit.rest.pulls.create({
        ...this.repo,
        head: pull.head,
        base: pull.base,
        title: pull.title,
        body: pull.body,
        maintainer_can_modify: true,
      });
      return { number: data.number, url: data.html_url };
    } catch (error) {
      // "A pull request already exists for owner:branch."
      if (httpStatusOf(error) === 422 && /already exists/i.test(String((error as Error).message)))
        return "exists";
      throw error;
    }
  }

  async updatePullBody(number: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.repo, pull_number: number, body });
  }

  async findShipped(query: {
    version: string;
    mainBranch: string;
    releaseBranchPrefix: string;
  }): Promise<ShippingPull | undefined> {
    const { data: releases } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "closed",
      head: `${this.repo.owner}:${query.releaseBranchPrefix}${query.version}`,
      base: query.mainBranch,
      per_page: 10,
    });
    const release = releases.find((p) => p.merged_at !== null);
    if (release) return toShippingPull(release);
    const { data: recent } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "closed",
      base: query.mainBranch,
      sort: "updated",
      direction: "desc",
      per_page: 100,
    });
    const shipped = recent.find(
      (p) => p.merged_at !== null && parseShipMarker(p.body)?.version === query.version,
    );
    return shipped && toShippingPull(shipped);
  }

  /**
   * One page of closed PRs into `base`, most recently updated first
   * (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests: `merged_at` is null for a PR
   * closed without merging); at most 100, GitHub's largest page.
   */
  async listRecentlyMerged(query: { base: string; limit: number }): Promise<MergedPullSummary[]> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "closed",
      base: query.base,
      sort: "updated",
      direction: "desc",
      per_page: Math.min(Math.max(query.limit, 1), 100),
    });
    return data.flatMap((p) =>
      p.merged_at && p.merge_commit_sha
        ? [
            {
              number: p.number,
              title: p.title,
              url: p.html_url,
              body: p.body,
              head: p.head.ref,
              base: p.base.ref,
              labels: p.labels.map((l) => l.name),
              sameRepo: p.head.repo?.id === p.base.repo.id,
              mergeSha: p.merge_commit_sha,
              mergedAt: p.merged_at,
            },
          ]
        : [],
    );
  }

  /** https://docs.github.com/en/rest/pulls/pulls#list-pull-requests (state open, one page). */
  async listOpen(query: { base: string; limit: number }): Promise<OpenPullSummary[]> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "open",
      base: query.base,
      sort: "updated",
      direction: "desc",
      per_page: Math.min(Math.max(query.limit, 1), 100),
    });
    return data.map((p) => ({
      number: p.number,
      body: p.body,
      head: { ref: p.head.ref, sha: p.head.sha },
      base: { ref: p.base.ref },
      labels: p.labels.map((l) => ({ name: l.name })),
    }));
  }

  /** https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request: `body` is null when empty. */
  async readPullBody(number: number): Promise<string | null> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
    return data.body;
  }

  // A review's `user` is null once its author's account is deleted (REST "List reviews for a pull request").
  async listReviews(pull: number): Promise<PullReview[]> {
    const reviews = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.repo,
      pull_number: pull,
      per_page: 100,
    });
    return reviews.flatMap((r) =>
      r.user ? [{ user: r.user.login, state: r.state, submittedAt: r.submitted_at, url: r.html_url }] : [],
    );
  }
}
