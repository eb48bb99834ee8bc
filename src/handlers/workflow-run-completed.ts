import type { Context } from "probot";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import { recordPublishedImages } from "../use-cases/ship/publish-images.js";
import type { AppDeps } from "./app-deps.js";
import { logOutcome } from "./ship-payloads.js";

/** `workflow_run.completed`: the image-publishing run of a release records its image tags. */
export const handleWorkflowRunCompleted = async (
  deps: AppDeps,
  context: Context<"workflow_run.completed">,
): Promise<void> => {
  const run = context.payload.workflow_run;
  // Runs on branches are never image publishing of a release; only tag runs are looked at.
  if (!run.path || run.event === "push" || run.event === "pull_request") return;
  const ports = deps.portsFor(context);
  const config = await loadPolicyConfig(ports.readFile, ports.repo, context.log);
  if (!config) return;
  const result = await recordPublishedImages(ports.github, {
    config,
    run: { path: run.path, headBranch: run.head_branch, conclusion: run.conclusion, url: run.html_url },
  });
  logOutcome(context.log, "record images", result);
};
