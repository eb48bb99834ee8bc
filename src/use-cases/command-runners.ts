import { createGitHubPorts } from "../adapters/github/github-ports.js";
import type { CommandRunners } from "../handlers/command-context.js";
import type { Clock } from "../ports/clock.js";
import { cutRelease } from "./cut-release.js";
import { createDeployRunners, type DeployAppDeps } from "./deploy/deploy-runners.js";
import { revertRelease } from "./ship/revert-release.js";

/**
 * The use-case behind each slash command. `/help` is answered by the handler itself;
 * a command missing here answers that it is not enabled yet.
 */
export const createCommandRunners = (deps: { clock: Clock; deploy?: DeployAppDeps }): CommandRunners => ({
  ...(deps.deploy ? createDeployRunners(deps.deploy) : {}),
  release: (context, command) =>
    cutRelease(
      { ...createGitHubPorts(context.octokit, context.repo, context.repoUrl), clock: deps.clock },
      {
        config: context.config,
        target: command.target,
        pre: command.pre,
        actor: context.actor,
        issueNumber: context.issue.number,
      },
    ),
  revert: (context, command) =>
    revertRelease(
      { ...createGitHubPorts(context.octokit, context.repo, context.repoUrl), clock: deps.clock },
      { config: context.config, version: command.version, issueNumber: context.issue.number },
    ),
});
