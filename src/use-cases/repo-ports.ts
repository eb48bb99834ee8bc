/**
 * The ports of one repository, bound to the installation that delivered an event (or, on start,
 * to the installation the app found the repository in). Built by one function in
 * src/composition/repo-ports.ts; handlers and command runners only ever see this interface.
 */
import type { PermissionLevel } from "../domain/commands/permission.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { ModelRegistry } from "../ports/checklist.js";
import type { ReadRepoFile } from "../ports/config-files.js";
import type { ReleaseRepository } from "../ports/release-repository.js";
import type { ShipGitHub } from "../ports/ship.js";
import type { DeployDeps, DeployLog } from "./deploy/deploy-deps.js";
import type { RunChecklistDeps } from "./run-checklist.js";

/** The reactions the comment handler puts on a command's comment. */
export type CommentReaction = "eyes" | "rocket" | "confused" | "+1";

/** The comment thread of an issue or PR, as the slash-command handler uses it. */
export interface CommentThreads {
  /** Adds a reaction; false when this app had already put the same one there. */
  addReaction(commentId: number, content: CommentReaction): Promise<boolean>;
  /** A person's permission on the repository, read from the API (never `author_association`). */
  permissionOf(login: string): Promise<PermissionLevel>;
  postComment(issueNumber: number, body: string): Promise<void>;
}

/** A pull request as the checklist reads it back from the API. */
export interface PullState {
  number: number;
  state: string;
  body: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels: { name?: string }[];
}

/** A completed check run reporting on one commit (the config check). */
export interface CheckRunReport {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral" | "action_required";
  title: string;
  summary: string;
}

export interface RepoPorts {
  repo: RepoRef;
  /** The repository's web address (`https://github.com/owner/repo`). */
  repoUrl: string;
  /** The repository's files, read with conditional requests through the app's cache. */
  readFile: ReadRepoFile;
  threads: CommentThreads;
  getPull(number: number): Promise<PullState>;
  createCheckRun(report: CheckRunReport): Promise<void>;
  /** The shipping steps' GitHub port (tags, releases, back-merges, hotfix branches). */
  ship(): ShipGitHub;
  /** The release cut's GitHub port (release branch and PR). */
  releases(): ReleaseRepository;
  /** The ports of one checklist evaluation. */
  checklist(): RunChecklistDeps;
  /** The operator's MLflow registry for this repository; undefined when none serves it. */
  models(): ModelRegistry | undefined;
  /** The deploy ports, with replies going to `issueNumber` (0: only logged). */
  deploy(where: { issueNumber: number; tagPrefix: string; log: DeployLog }): DeployDeps;
}
