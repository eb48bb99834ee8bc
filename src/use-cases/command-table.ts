/**
 * The one home of the slash commands' runners: each command maps to its use-case, with the
 * repository's ports from the command's context. Adding a command touches its variant and spec
 * (src/domain/commands/, the grammar), this table and its use-case (docs/architecture.md, "Adding
 * a command"); a command missing here does not compile.
 */
import type { Clock } from "../ports/clock.js";
import { runChecklistCommand } from "./checklist-command.js";
import type { CommandContext, CommandTable } from "./command-context.js";
import { cutRelease } from "./cut-release.js";
import type { DeployDeps, Invocation } from "./deploy/deploy-deps.js";
import { lockEnvironment, unlockEnvironment } from "./deploy/lock-environment.js";
import { runCanary } from "./deploy/run-canary.js";
import { scaleService } from "./deploy/scale-service.js";
import { showStatus } from "./deploy/show-status.js";
import { startDeploy } from "./deploy/start-deploy.js";
import { startRollback } from "./deploy/start-rollback.js";
import { showHelp } from "./show-help.js";
import { revertRelease } from "./ship/revert-release.js";
import { runShipCommand } from "./ship/ship-command.js";

/** The deploy ports bound to the command's repository, replying on its issue. */
export const deployDepsFor = (context: CommandContext): DeployDeps =>
  context.ports.deploy({
    issueNumber: context.issue.number,
    tagPrefix: context.config.release.tagPrefix,
    log: context.log,
  });

export const invocationOf = (context: CommandContext): Invocation => ({
  config: context.config,
  actor: context.actor,
  issue: context.issue.number,
  issueUrl: `${context.repoUrl}/issues/${context.issue.number}`,
});

/** A deploy use-case's input: who asked, where, and the parsed command. */
export const deployInput = <C>(context: CommandContext, command: C): Invocation & { command: C } => ({
  ...invocationOf(context),
  command,
});

export const createCommandTable = (app: { clock: Clock }): CommandTable => ({
  help: (context, command) => showHelp(context.config, command.topic),
  release: (context, command) =>
    cutRelease(
      { ...context.ports.github, clock: app.clock },
      {
        config: context.config,
        target: command.target,
        pre: command.pre,
        from: command.from,
        actor: context.actor,
        issueNumber: context.issue.number,
      },
    ),
  revert: (context, command) =>
    revertRelease(
      { ...context.ports.github, clock: app.clock },
      { config: context.config, version: command.version, issueNumber: context.issue.number },
    ),
  checklist: runChecklistCommand,
  ship: runShipCommand,
  deploy: (context, command) => startDeploy(deployDepsFor(context), deployInput(context, command)),
  rollback: (context, command) => startRollback(deployDepsFor(context), deployInput(context, command)),
  lock: (context, command) => lockEnvironment(deployDepsFor(context), deployInput(context, command)),
  unlock: (context, command) => unlockEnvironment(deployDepsFor(context), deployInput(context, command)),
  status: (context, command) => showStatus(deployDepsFor(context), deployInput(context, command)),
  canary: (context, command) => runCanary(deployDepsFor(context), deployInput(context, command)),
  promote: (context, command) => runCanary(deployDepsFor(context), deployInput(context, command)),
  abort: (context, command) => runCanary(deployDepsFor(context), deployInput(context, command)),
  scale: (context, command) => scaleService(deployDepsFor(context), deployInput(context, command)),
});
