import type { Logger } from "probot";
import type { Octokit } from "../adapters/github/octokit.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { Config } from "../config/schema.js";
import type { Command, CommandName } from "../domain/commands/command.js";
import type { Outcome } from "../domain/outcome.js";

/** Everything a command's use-case is handed by the comment handler, after the guards passed. */
export interface CommandContext {
  octokit: Octokit;
  repo: RepoRef;
  /** The repository's web address, as the event gave it (`https://github.com/owner/repo`). */
  repoUrl: string;
  issue: { number: number; title: string; isPullRequest: boolean };
  commentId: number;
  actor: string;
  config: Config;
  log: Logger;
  deliveryId: string;
}

export type CommandRunner<C extends Command = Command> = (
  context: CommandContext,
  command: C,
) => Promise<Outcome>;

/** The use-case behind each command; a command without one answers that it is not enabled yet. */
export type CommandRunners = { [N in CommandName]?: CommandRunner<Extract<Command, { name: N }>> };
