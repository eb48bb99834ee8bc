/**
 * The ports of one repository, bound to the installation that delivered an event (or, on start,
 * to the installation the app found the repository in). Built by one function in
 * src/composition/repo-ports.ts; handlers and command runners only ever see this interface.
 */
import type { RepoRef } from "../domain/repo-ref.js";
import type { ModelRegistry } from "../ports/checklist.js";
import type { ReadRepoFile } from "../ports/config-files.js";
import type { GitHubPorts } from "../ports/github-ports.js";
import type { Issues } from "../ports/issues.js";
import type { DeployDeps, DeployLog } from "./deploy/deploy-deps.js";
import type { RunChecklistDeps } from "./run-checklist.js";

/** The comment thread of an issue or PR, as the slash-command handler uses it. */
export type CommentThreads = Pick<Issues, "addReaction" | "permissionOf" | "postComment">;

/** A pull request as the checklist and `/ship` read it back from the API. */
export interface PullState {
  number: number;
  state: string;
  body: string | null;
  head: { ref: string; sha: string; repo?: { id: number } | null | undefined };
  base: { ref: string; repo?: { id: number } | undefined };
  labels: { name?: string }[];
  title?: string | undefined;
  /** `https://github.com/owner/repo/pull/N` */
  url?: string | undefined;
  merged?: boolean | undefined;
  /** The merge commit, once merged. */
  mergeSha?: string | null | undefined;
}

export interface RepoPorts {
  repo: RepoRef;
  /** The repository's web address (`https://github.com/owner/repo`). */
  repoUrl: string;
  /** The repository's files, read with conditional requests through the app's cache. */
  readFile: ReadRepoFile;
  threads: CommentThreads;
  getPull(number: number): Promise<PullState>;
  /** The GitHub ports by capability (refs and commits, pulls, releases, issues, workflows, …). */
  github: GitHubPorts;
  /** The ports of one checklist evaluation. */
  checklist(): RunChecklistDeps;
  /** The operator's MLflow registry for this repository; undefined when none serves it. */
  models(): ModelRegistry | undefined;
  /** The deploy ports, with replies going to `issueNumber` (0: only logged). */
  deploy(where: { issueNumber: number; tagPrefix: string; log: DeployLog }): DeployDeps;
}
