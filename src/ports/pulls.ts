/** Pull requests (GitHub's Pulls API): finding, opening and describing them, and their reviews. */
import type { DeployReview, ShippingPull } from "../domain/deploy/evaluate-deploy-approvals.js";

export interface PullRef {
  number: number;
  url: string;
  /** Its label names, when read (an earlier run may have failed before labelling it). */
  labels?: readonly string[];
}

/** A merged PR as one list call gives it (the ship recognisers' facts, its merge and when). */
export interface MergedPullSummary {
  number: number;
  title: string;
  url: string;
  body: string | null;
  head: string;
  base: string;
  labels: readonly string[];
  sameRepo: boolean;
  mergeSha: string;
  mergedAt: string;
}

/** An open PR as the list gives it: what the checklist reads to evaluate it. */
export interface OpenPullSummary {
  number: number;
  body: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels: readonly { name?: string }[];
}

/** A review as the Pulls API lists it, with its page. */
export interface PullReview extends DeployReview {
  url?: string | undefined;
}

export interface Pulls {
  findOpenPull(head: string, base: string): Promise<PullRef | undefined>;
  /** Opens a PR: "exists" when one is already open for that head and base. */
  createPull(pull: { head: string; base: string; title: string; body: string }): Promise<PullRef | "exists">;
  updatePullBody(number: number, body: string): Promise<void>;
  /** The PR's current description (null when empty). */
  readPullBody(number: number): Promise<string | null>;
  /**
   * The merged PR into `mainBranch` that shipped `version`: the release PR from
   * `<releaseBranchPrefix><version>`, else the hotfix (or revert) PR whose marker carries it.
   */
  findShipped(query: {
    version: string;
    mainBranch: string;
    releaseBranchPrefix: string;
  }): Promise<ShippingPull | undefined>;
  listReviews(pull: number): Promise<PullReview[]>;
  /** The merged PRs into `base` among the `limit` most recently updated closed ones: one list call. */
  listRecentlyMerged(query: { base: string; limit: number }): Promise<MergedPullSummary[]>;
  /** The open PRs into `base`, the `limit` most recently updated: one list call. */
  listOpen(query: { base: string; limit: number }): Promise<OpenPullSummary[]>;
}
