/**
 * ShippedPulls on the pulls API. The release PR is found with one filtered list call (its head
 * branch names the version); only when there is none is a page of recently closed PRs into the
 * main branch read, for the hotfix or revert PR whose marker carries the version.
 */
import type { PermissionLevel } from "../../domain/commands/permission.js";
import type { DeployReview, ShippingPull } from "../../domain/deploy/evaluate-deploy-approvals.js";
import { parseShipMarker } from "../../domain/ship/ship-marker.js";
import type { ShippedPulls } from "../../ports/deployments.js";
import { getPermission } from "./conversation.js";
import type { Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

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

export class GitHubShippedPulls implements ShippedPulls {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async find(query: {
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

  async listReviews(pull: number): Promise<DeployReview[]> {
    const reviews = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.repo,
      pull_number: pull,
      per_page: 100,
    });
    return reviews.flatMap((r) =>
      r.user ? [{ user: r.user.login, state: r.state, submittedAt: r.submitted_at }] : [],
    );
  }

  permissionOf(user: string): Promise<PermissionLevel> {
    return getPermission(this.octokit, this.repo, user);
  }
}
