import type { PlanCommit, TreeSnapshot } from "../domain/release/release-plan.js";

export interface CommitRef {
  sha: string;
  treeSha: string;
}

export interface PullRef {
  number: number;
  url: string;
  /** Its label names, when read (an earlier run may have failed before labelling it). */
  labels?: readonly string[];
}

/** What cutting a release needs from the repository host: reads, then one commit, one ref, one PR. */
export interface ReleaseRepository {
  /** `https://github.com/owner/repo`. */
  readonly webUrl: string;
  /** Tag names starting with `prefix` (e.g. `v1.1.0`). */
  listTags(prefix: string): Promise<string[]>;
  /** Branch names starting with `prefix`. */
  listBranches(prefix: string): Promise<string[]>;
  /** The branch's head commit and its tree. */
  getBranchHead(branch: string): Promise<CommitRef | undefined>;
  /** Every file of the tree at a commit (one archive download, whatever the number of files). */
  readTree(sha: string): Promise<TreeSnapshot>;
  /**
   * Commits reachable from `head` (a branch or SHA) and not from `base` (or, with no base,
   * since a date), oldest first, without their paths; `head` is the newest one listed, with its
   * tree (undefined when none is).
   */
  listCommits(range: { base?: string; head: string; since?: string }): Promise<{
    commits: PlanCommit[];
    head?: CommitRef | undefined;
  }>;
  /**
   * For each commit, which of `dirs` it changed something under: one request for all of them,
   * whatever the number of commits and directories.
   */
  dirsTouched(shas: readonly string[], dirs: readonly string[]): Promise<Map<string, string[]>>;
  /** One commit on `parent` holding every change (one tree, one commit). */
  createCommit(
    parent: CommitRef,
    message: string,
    /** `content: null` deletes the file. */
    files: readonly { path: string; content: string | null }[],
  ): Promise<string>;
  /** Creates a branch atomically: "exists" when someone else created it first. */
  createBranch(name: string, sha: string): Promise<"created" | "exists">;
  findOpenPull(head: string, base: string): Promise<PullRef | undefined>;
  /** Adds labels to a pull request (labels it already has are kept). */
  addLabels(pull: number, labels: readonly string[]): Promise<void>;
  /** Opens a labelled PR: "exists" when one is already open for that head and base. */
  createPull(pull: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRef | "exists">;
}
