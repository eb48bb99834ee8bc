/**
 * Deploys nobody asked for (`environments.<env>.autoDeploy`): a finished image workflow run of a
 * release or of develop deploys to each environment that wants it, as the app, through the same
 * path as `/deploy` (gates, lock, records). Nothing is said in a comment when it is refused (a
 * lock, a deploy in flight, a gate): the reason is logged. A redelivered webhook deploys nothing
 * twice: an environment that already has a Deployment of that version (and commit) is skipped.
 */
import type { Config } from "../../config/schema.js";
import { isInFlight } from "../../ports/deployments.js";
import { type AutoDeployTrigger, planAutoDeploys } from "../../domain/deploy/auto-deploy-plan.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { DeployDeps } from "./deploy-deps.js";
import { startDeploy } from "./start-deploy.js";

export const AUTO_DEPLOY_ACTOR = "release-pilot[bot]";

export interface AutoDeployResult {
  env: string;
  version: string;
  outcome: Outcome;
}

export async function autoDeploy(
  depsFor: (issueNumber: number) => DeployDeps,
  config: Config,
  trigger: AutoDeployTrigger,
  repoUrl: string,
): Promise<AutoDeployResult[]> {
  const targets = planAutoDeploys(config, trigger);
  if (targets.length === 0) return [];
  const base = depsFor(0);
  // Where a release's result is reported: the issue that started it, from its PR's marker.
  const issue =
    trigger.kind === "release"
      ? ((
          await base.pulls.findShipped({
            version: trigger.version,
            mainBranch: config.release.mainBranch,
            releaseBranchPrefix: config.release.releaseBranchPrefix,
          })
        )?.issue ?? 0)
      : 0;
  const results: AutoDeployResult[] = [];
  for (const target of targets) {
    const done = (o: Outcome) => {
      base.log.info(
        {
          environment: target.env,
          version: target.version,
          reason: o.reason,
          detail: o.message.slice(0, 300),
        },
        "automatic deploy",
      );
      results.push({ env: target.env, version: target.version, outcome: o });
    };
    const records = await base.records.list({ environment: target.env, limit: 30 });
    const same = records.find(
      (r) => r.payload?.version === target.version && (target.ref === undefined || r.ref === target.ref),
    );
    if (same) {
      done(outcome("already-done", `deployment ${same.id} already deploys ${target.version}`));
      continue;
    }
    const active = records.find((r) => r.payload && isInFlight(r.state));
    if (active) {
      done(
        outcome("refused-locked", `deployment ${active.id} (${active.payload?.version ?? "?"}) is in flight`),
      );
      continue;
    }
    const deps = depsFor(issue);
    const result = await startDeploy(deps, {
      config,
      actor: AUTO_DEPLOY_ACTOR,
      issue,
      issueUrl: issue ? `${repoUrl}/issues/${issue}` : trigger.runUrl,
      command: {
        env: target.env,
        version: target.version,
        ref: target.ref,
        auto: { trigger: trigger.kind, reason: target.reason, run: trigger.runUrl },
      },
    });
    done(result);
  }
  return results;
}
