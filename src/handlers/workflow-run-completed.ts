import type { Context } from "probot";
import type { Octokit } from "../adapters/github/octokit.js";
import { createGitHubPorts } from "../adapters/github/github-ports.js";
import { recordPublishedImages } from "../use-cases/ship/publish-images.js";
import type { AppDeps } from "./app-deps.js";
import { loadShipConfig, logOutcome } from "./pull-request-closed.js";

/** Only a run started by something other than a branch push or a PR might publish images. */
export const acceptsWorkflowRunCompleted = ({
  workflow_run: run,
}: Context<"workflow_run.completed">["payload"]): boolean =>
  Boolean(run.path) && run.event !== "push" && run.event !== "pull_request";

/** `workflow_run.completed`: the image-publishing run of a release records its image tags. */
export const handleWorkflowRunCompleted = async (
  deps: AppDeps,
  context: Context<"workflow_run.completed">,
): Promise<void> => {
  const run = context.payload.workflow_run;
  // Runs on branches are never image publishing of a release; only tag runs are looked at.
  if (!run.path || run.event === "push" || run.event === "pull_request") return;
  const octokit = context.octokit as Octokit;
  const repo = context.repo();
  const config = await loadShipConfig(deps, octokit, repo, context.log);
  if (!config) return;
  const github = createGitHubPorts(octokit, repo, context.payload.repository.html_url);
  const result = await recordPublishedImages(github, {
    config,
    run: { path: run.path, headBranch: run.head_branch, conclusion: run.conclusion, url: run.html_url },
  });
  logOutcome(context.log, "record images", result);
};
