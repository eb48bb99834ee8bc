import type { Context } from "probot";
import type { AutoDeployTrigger } from "../domain/deploy/auto-deploy-plan.js";
import { parseTagName } from "../domain/version/tag-name.js";
import { autoDeploy } from "../use-cases/deploy/auto-deploy.js";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import type { AppDeps } from "./app-deps.js";
import { acceptsAutoDeploy } from "./route-predicates.js";

/**
 * `workflow_run.completed`: a successful image workflow run deploys by itself where an
 * environment asks for it (`autoDeploy`): a run on a release tag deploys that release, a push
 * run on develop deploys develop's head.
 */
export const handleAutoDeploy = async (
  deps: AppDeps,
  context: Context<"workflow_run.completed">,
): Promise<void> => {
  const run = context.payload.workflow_run;
  if (!acceptsAutoDeploy(context.payload)) return;
  const ports = deps.portsFor(context);
  const config = await loadPolicyConfig(ports.readFile, ports.repo, context.log);
  if (!config) return;
  let trigger: AutoDeployTrigger;
  if (run.event === "push") {
    trigger = {
      kind: "develop",
      sha: run.head_sha,
      branch: run.head_branch ?? "",
      workflowPath: run.path,
      runUrl: run.html_url,
    };
  } else {
    const tag = parseTagName(run.head_branch ?? "", config.release.tagPrefix);
    if (!tag.ok) return;
    trigger = {
      kind: "release",
      version: tag.value.version.toString(),
      workflowPath: run.path,
      runUrl: run.html_url,
    };
  }
  await autoDeploy(
    (issueNumber) => ports.deploy({ issueNumber, tagPrefix: config.release.tagPrefix, log: context.log }),
    config,
    trigger,
    context.payload.repository.html_url,
  );
};
