import type { Context } from "probot";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import { startHotfix } from "../use-cases/ship/start-hotfix.js";
import type { AppDeps } from "./app-deps.js";
import { logOutcome } from "./ship-payloads.js";

/** `issues.labeled`: the hotfix label on an issue opens its `hotfix/<number>-<slug>` branch. */
export const handleIssuesLabeled = async (
  deps: AppDeps,
  context: Context<"issues.labeled">,
): Promise<void> => {
  const { issue, label } = context.payload;
  if (!label || issue.state !== "open" || issue.pull_request) return;
  const ports = deps.portsFor(context);
  const config = await loadPolicyConfig(ports.readFile, ports.repo, context.log);
  if (!config || label.name.toLowerCase() !== config.ship.hotfix.label.toLowerCase()) return;
  const result = await startHotfix(ports.github, {
    config,
    issue: { number: issue.number, title: issue.title },
  });
  logOutcome(context.log, "start hotfix", result);
};
