import type { TreeSnapshot } from "../domain/release/release-plan.js";

export interface PullLink {
  number: number;
  url: string;
}

export interface ReleaseRecord {
  id: number;
  tag: string;
  url: string;
  draft: boolean;
  body: string;
}

export type MergeResult =
  | { kind: "merged"; sha: string }
  | { kind: "up-to-date" }
  | { kind: "conflict" }
  | { kind: "refused"; status: number };

/**
 * What shipping a merged release, hotfix or revert needs from the repository host. Each
 * use-case depends on a `Pick` of it, so its tests pass only the calls it makes.
 */
export interface ShipGitHub {
  /** `https://github.com/owner/repo`. */
  readonly webUrl: string;

  // Git data.
  /** The commit a tag points at (annotated tags peeled); undefined when the tag does not exist. */
  getTagCommit(tag: string): Promise<string | undefined>;
  /** An annotated tag object and its ref; "exists" when the ref was created by someone else first. */
  createAnnotatedTag(tag: string, message: string, commit: string): Promise<"created" | "exists">;
  listTags(prefix: string): Promise<string[]>;
  getBranchHead(branch: string): Promise<{ sha: string; treeSha: string } | undefined>;
  createBranch(name: string, sha: string): Promise<"created" | "exists">;
  /** Moves a branch forward to `sha` (never forced); "moved" when it is no longer an ancestor of it. */
  advanceBranch(name: string, sha: string): Promise<"updated" | "moved">;
  readTree(ref: string): Promise<TreeSnapshot>;
  readFile(ref: string, path: string): Promise<string | undefined>;
  /** One commit on `parent` with every file (null: delete). */
  createCommit(
    parent: { sha: string; treeSha: string },
    message: string,
    files: ReadonlyMap<string, string | null>,
  ): Promise<string>;
  /** `base...head`: commits of head not in base, their authors' logins, files changed since the merge base. */
  compare(base: string, head: string): Promise<{ aheadBy: number; authors: string[]; files: string[] }>;
  /** The merges API: head merged into base. */
  mergeInto(base: string, head: string, message: string): Promise<MergeResult>;

  // Releases and Actions.
  findRelease(tag: string): Promise<ReleaseRecord | undefined>;
  createRelease(input: {
    tag: string;
    target: string;
    name: string;
    body: string;
    draft: boolean;
    prerelease: boolean;
  }): Promise<ReleaseRecord>;
  updateRelease(id: number, input: { body?: string; draft?: boolean }): Promise<ReleaseRecord>;
  /** The newest run of a workflow file for a commit, if any. */
  findWorkflowRun(workflow: string, headSha: string): Promise<{ id: number; url: string } | undefined>;
  dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<{ id: number; url: string } | undefined>;

  // Pull requests and issues.
  findOpenPull(head: string, base: string): Promise<PullLink | undefined>;
  createPull(input: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<PullLink | "exists">;
  updatePullBody(number: number, body: string): Promise<void>;
  /** Adds labels to an issue or PR (creating missing labels as GitHub does). */
  addLabels(number: number, labels: string[]): Promise<void>;
  /** This app's comment holding `marker`, if one was posted already. */
  findComment(issue: number, marker: string): Promise<{ id: number; url: string; body: string } | undefined>;
  postComment(issue: number, body: string): Promise<{ id: number; url: string }>;
  getIssue(number: number): Promise<{ state: "open" | "closed"; title: string; isPull: boolean } | undefined>;
  closeIssue(number: number): Promise<void>;
  /** The open issue where this app replied with the PR's link (the `/release` that cut it). */
  findIssueLinking(pullUrl: string): Promise<number | undefined>;
}
