/**
 * After a restart: find this repository's deploys still queued or in progress and drive them
 * again. Nothing is lost because the Deployment payload holds the whole job, the lock ref
 * survives, patching is idempotent (no patch when unchanged) and the watch claim ref keeps two
 * instances from both driving one rollout. A claim left by this same instance is taken back.
 */
import type { Config } from "../../config/schema.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf, type DeployJob } from "./deploy-job.js";
import { driveDeploy } from "./drive-deploy.js";
import { Timeline } from "./timeline.js";

export async function resumeDeploys(
  depsFor: (issueNumber: number) => DeployDeps,
  config: Config,
  repoUrl: string,
): Promise<number[]> {
  const base = depsFor(0);
  const resumed: number[] = [];
  for (const [env, envConfig] of Object.entries(config.environments)) {
    const cluster = base.clusters.get(envConfig.cluster);
    if (!cluster) continue;
    const records = await base.records.list({ environment: env, limit: 20 });
    for (const record of records) {
      const payload = record.payload;
      if (!payload || payload.action !== "deploy") continue;
      if (record.state !== "queued" && record.state !== "in_progress") continue;
      const key = claimKeyOf(record.id);
      const holder = await base.locks.claimedBy(key);
      if (holder !== undefined && holder !== base.instance) continue; // another instance watches it
      if (holder === base.instance) await base.locks.unclaim(key);
      const deps = depsFor(payload.issue);
      const lock = (await base.locks.get(env)) ?? {
        env,
        holder: payload.actor,
        reason: `deploying ${payload.version}`,
        since: record.createdAt,
        kind: "deploy" as const,
      };
      const job: DeployJob = {
        env,
        envConfig,
        cluster,
        recordId: record.id,
        ref: record.ref,
        fallbackRef: config.release.mainBranch,
        payload,
        lock,
        issueUrl: `${repoUrl}/issues/${payload.issue}`,
        tagPrefix: config.release.tagPrefix,
        resumed: true,
      };
      const timeline = new Timeline(deps.clock);
      timeline.add(`release-pilot restarted; resumed deployment ${record.id}`);
      deps.jobs.run(`resume ${env} #${record.id}`, () => driveDeploy(deps, job, timeline));
      resumed.push(record.id);
    }
  }
  return resumed;
}
