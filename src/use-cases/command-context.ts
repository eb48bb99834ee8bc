import type { Config } from "../config/schema.js";
import type { Command, CommandName } from "../domain/commands/command.js";
import type { Outcome } from "../domain/outcome.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { DeployLog } from "./deploy/deploy-deps.js";
import type { RepoPorts } from "./repo-ports.js";

/** Everything a command's use-case is handed by the comment handler, after the guards passed. */
export interface CommandContext {
  /** The repository's ports, bound to the installation that delivered the comment. */
  ports: RepoPorts;
  repo: RepoRef;
  /** The repository's web address, as the event gave it (`https://github.com/owner/repo`). */
  repoUrl: string;
  issue: { number: number; title: string; isPullRequest: boolean };
  commentId: number;
  actor: string;
  config: Config;
  log: DeployLog;
  deliveryId: string;
}

export type CommandRunner<C extends Command = Command> = (
  context: CommandContext,
  command: C,
) => Promise<Outcome>;

/** The use-case behind every command: an entry missing is a compile error. */
export type CommandTable = { [N in CommandName]: CommandRunner<Extract<Command, { name: N }>> };
