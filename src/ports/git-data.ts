/**
 * Refs and commits of the repository (GitHub's Git Data, refs, contents, compare and merges
 * APIs): every read and write of git objects a use-case makes goes through this one port.
 */
import type { PlanCommit, TreeSnapshot } from "../domain/release/release-plan.js";
import type { FilesWanted } from "../domain/release/release-reads.js";

/** A commit and its tree (a new commit's parent). */
export interface CommitRef {
  sha: string;
  treeSha: string;
}

/** The files of one commit by path: the new text, or null to delete the file. */
export type FileChanges = ReadonlyMap<string, string | null>;

export type MergeResult =
  | { kind: "merged"; sha: string }
  | { kind: "up-to-date" }
  | { kind: "conflict" }
  | { kind: "refused"; status: number };

/** `base...head`: commits of head not in base, their authors' logins, files changed since the merge base. */
export interface Comparison {
  aheadBy: number;
  authors: string[];
  files: string[];
  /** The former paths of files renamed in the comparison. */
  renamedFrom?: string[];
  /** The comparison's page on github.com. */
  url?: string | undefined;
  /** Commits of base not in head (0: base is an ancestor of head). */
  behindBy?: number;
  /**
   * GitHub lists at most 300 changed files for a whole comparison: true when it listed that many,
   * so more may have changed than `files` names.
   */
  filesCapped?: boolean;
}

/**
 * A file at a ref as {@link GitData.readFilesAt} reads it: its text, or only its blob when it is
 * binary or above the size cap (whose text is never transferred).
 */
export type FileAt =
  { oid: string; text: string } | { oid: string; text?: undefined; unreadable: "binary" | "too-large" };

/** The commits and directories to look paths up for, once a tree's paths are known; undefined: none. */
export type TouchedAsk = (
  paths: readonly string[],
) => { shas: readonly string[]; dirs: readonly string[] } | undefined;

export interface GitData {
  /** `https://github.com/owner/repo`. */
  readonly webUrl: string;

  /** Tag names starting with `prefix` (e.g. `v1.1.0`). */
  listTags(prefix: string): Promise<string[]>;
  /** Branch names starting with `prefix`. */
  listBranches(prefix: string): Promise<string[]>;
  /** The commit a tag points at (annotated tags peeled); undefined when the tag does not exist. */
  getTagCommit(tag: string): Promise<string | undefined>;
  /** An annotated tag object and its ref; "exists" when the ref was created by someone else first. */
  createAnnotatedTag(tag: string, message: string, commit: string): Promise<"created" | "exists">;
  /** The branch's head commit and its tree. */
  getBranchHead(branch: string): Promise<CommitRef | undefined>;
  /** Creates a branch atomically: "exists" when someone else created it first. */
  createBranch(name: string, sha: string): Promise<"created" | "exists">;
  /** Moves a branch forward to `sha` (never forced); "moved" when it is no longer an ancestor of it. */
  advanceBranch(name: string, sha: string): Promise<"updated" | "moved">;

  /**
   * The paths of a tree (a tree or commit SHA) under the directories `wanted.reach` keeps, with
   * the texts of only the files `wanted` picks, several per request: what is transferred grows
   * with those directories and files, not with the repository's data. A picked file above the
   * size cap, binary, or not in the tree reads as undefined. `touched`, given the paths, names
   * commits and directories to answer as {@link dirsTouched} does, in the same requests as the
   * files where it fits (`touched` of the result). `unwalked`: directories the reach kept but a
   * bound of the listing left unlisted (a crafted or huge tree).
   */
  snapshotTree(
    tree: string,
    wanted: FilesWanted,
    touched?: TouchedAsk,
  ): Promise<TreeSnapshot & { touched?: Map<string, string[]>; unwalked?: string[] }>;
  /** One file's text at a ref; undefined when it does not exist. */
  readFile(ref: string, path: string): Promise<string | undefined>;
  /**
   * Several files' text at one commit, in one request whatever their number (undefined: absent,
   * not a file, or binary).
   */
  readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>>;
  /**
   * The same paths at several refs (branch, `refs/tags/…` or SHA), one map per ref in order:
   * undefined where a path is absent or not a file. Several refs and paths per request, whatever
   * the repository's size: only the files named are read, binary ones and those above the size
   * cap by their blob SHA alone.
   */
  readFilesAt(refs: readonly string[], paths: readonly string[]): Promise<Map<string, FileAt | undefined>[]>;
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
  compare(base: string, head: string): Promise<Comparison>;

  /** One commit on `parent` holding every change (one tree, one commit). */
  createCommit(parent: CommitRef, message: string, files: FileChanges): Promise<string>;
  /** The merges API: head merged into base. */
  mergeInto(base: string, head: string, message: string): Promise<MergeResult>;
}
