import type { Context } from "probot";
import type { RepoRef } from "../domain/repo-ref.js";
import type { Clock } from "../ports/clock.js";
import type { Metrics } from "../ports/metrics.js";
import type { CommandTable } from "../use-cases/command-context.js";
import type { RepoPorts } from "../use-cases/repo-ports.js";

/** An event's context as far as binding its repository's ports goes. */
export interface RepoEventContext {
  octokit: Context["octokit"];
  repo(): RepoRef;
  payload: { repository?: { html_url: string } | undefined };
}

/** What the composition root (src/composition/) hands every handler. */
export interface AppDeps {
  clock: Clock;
  metrics: Metrics;
  /** The use-case behind every slash command. */
  commands: CommandTable;
  /** The ports of the event's repository, bound to the installation that delivered it. */
  portsFor(context: RepoEventContext): RepoPorts;
  /** This App's id, to tell its own check runs and suites from other apps'. */
  appId?: number;
}
