import type { Context } from "probot";
import type { Octokit } from "../adapters/github/octokit.js";
import { createGitHubPorts } from "../adapters/github/github-ports.js";
import { startHotfix } from "../use-cases/ship/start-hotfix.js";
import type { AppDeps } from "./app-deps.js";
import { loadShipConfig, logOutcome } from "./pull-request-closed.js";

/** Only a label put on an open issue (not a PR) might be the hotfix label. */
export const acceptsIssuesLabeled = ({ issue, label }: Context<"issues.labeled">["payload"]): boolean =>
  Boolean(label) && issue.state === "open" && !issue.pull_request;

/** `issues.labeled`: the hotfix label on an issue opens its `hotfix/<number>-<slug>` branch. */
export const handleIssuesLabeled = async (
  deps: AppDeps,
  context: Context<"issues.labeled">,
): Promise<void> => {
  const { issue, label } = context.payload;
  if (!label || issue.state !== "open" || issue.pull_request) return;
  const octokit = context.octokit as Octokit;
  const repo = context.repo();
  const config = await loadShipConfig(deps, octokit, repo, context.log);
  if (!config || label.name.toLowerCase() !== config.ship.hotfix.label.toLowerCase()) return;
  const github = createGitHubPorts(octokit, repo, context.payload.repository.html_url);
  const result = await startHotfix(github, { config, issue: { number: issue.number, title: issue.title } });
  logOutcome(context.log, "start hotfix", result);
};
