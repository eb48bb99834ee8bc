/**
 * After a restart: find this repository's deploys and rollbacks still queued or in progress and
 * drive them again (a rollback is concluded by finish-rollback.ts). Nothing is lost because the Deployment payload holds the whole job, the lock ref
 * survives, patching is idempotent (no patch when unchanged) and the watch claim ref keeps two
 * instances from both driving one rollout. A claim left by this same instance is taken back, an
 * expired one taken over (both atomically); a live claim of another instance is looked at again
 * until it is released or expires (see defer-claimed.ts).
 */
import type { Config } from "../../config/schema.js";
import type { EnvironmentConfig } from "../../config/sections/environments-section.js";
import { decideResume } from "../../domain/deploy/decide-resume.js";
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import { decideClaim } from "../../domain/deploy/watch-claim.js";
import type { Cluster } from "../../ports/cluster.js";
import type { DeploymentRecord } from "../../ports/deployments.js";
import { deferClaimed } from "./defer-claimed.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf, type DeployJob } from "./deploy-job.js";
import { tryDriveDeploy } from "./drive-deploy.js";
import { tryFinishRollback } from "./finish-rollback.js";
import { RESUME_LIST_LIMITS } from "./resume-lists.js";
import { Timeline } from "./timeline.js";
import { claimTtlMs, findClaim, inFlightRecord } from "./watch-claims.js";

const isActive = (record: DeploymentRecord | undefined): record is DeploymentRecord =>
  record !== undefined && inFlightRecord(record);

interface Resumable {
  env: string;
  envConfig: EnvironmentConfig;
  cluster: Cluster;
  record: DeploymentRecord;
}

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
    const records = await base.records.list({ environment: env, limit: RESUME_LIST_LIMITS.deploys });
    for (const record of records) {
      if (!record.payload || !isActive(record)) continue;
      // Canary analyses are resumed by resumeCanaryAnalyses (start-canary-analysis.ts).
      if (record.payload.action === "canary") continue;
      const refused = resumeRefusal(base, config, env, envConfig, record.payload);
      if (refused) {
        base.log.info(
          { deployment: record.id, environment: env, reason: refused },
          "not resuming a Deployment that does not match the default branch's config",
        );
        continue;
      }
      const started = await resumeRecord(depsFor, config, repoUrl, { env, envConfig, cluster, record });
      if (started) resumed.push(record.id);
    }
  }
  return resumed;
}

/**
 * Why a record found in flight is not driven again: what it would patch is not what the default
 * branch's config deploys to the environment, or the operator does not allow its namespace.
 * (Only records this App created are listed at all: see adapters/github/deployments.ts.)
 */
function resumeRefusal(
  base: DeployDeps,
  config: Config,
  env: string,
  envConfig: EnvironmentConfig,
  payload: DeployPayload,
): string | undefined {
  const decision = decideResume(payload, env, envConfig, config.release.projects ?? []);
  if (decision.kind === "refuse") return decision.reason;
  return base.clusters.refusal?.(payload.cluster, payload.namespace);
}

/** A claim that moved between our look and our take is looked at again, a few times at most. */
const TAKE_ATTEMPTS = 3;

/** Drive one interrupted deploy, or wait for another instance's claim on it: true when driven. */
async function resumeRecord(
  depsFor: (issueNumber: number) => DeployDeps,
  config: Config,
  repoUrl: string,
  found: Resumable,
  attempt = 1,
): Promise<boolean> {
  const { env, envConfig, cluster, record } = found;
  const payload = record.payload;
  if (!payload) return false;
  const base = depsFor(0);
  const key = claimKeyOf(record.id);
  const claim = await findClaim(base, record);
  const decision = decideClaim(
    claim,
    base.instance,
    base.clock.now(),
    claimTtlMs(base, envConfig.timeoutSeconds),
  );
  if (decision.kind === "held" && claim) {
    base.log.info(
      { deployment: record.id, holder: decision.holder, until: decision.until.toISOString() },
      "rollout watched by another instance; looking again when its claim ends",
    );
    deferClaimed(base, { key, version: claim.version, until: decision.until }, () => again(1));
    return false;
  }
  // Read the record again first: the holder may have finished it meanwhile.
  async function again(next: number): Promise<void> {
    const now = await base.records.get(record.id);
    if (isActive(now)) await resumeRecord(depsFor, config, repoUrl, { ...found, record: now }, next);
  }
  if (decision.kind === "expired")
    base.log.info({ deployment: record.id, holder: decision.holder }, "taking over an expired watch claim");
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
    ...(claim && decision.kind !== "free" ? { takeOver: claim.version } : {}),
  };
  const timeline = new Timeline(deps.clock);
  timeline.add(`release-pilot restarted; resumed deployment ${record.id}`);
  deps.jobs.run(`resume ${env} #${record.id}`, async () => {
    const drive = payload.action === "deploy" ? tryDriveDeploy : tryFinishRollback;
    if (await drive(deps, job, timeline)) return;
    // The claim moved between our look and our take (released, renewed or taken): decide again.
    if (attempt < TAKE_ATTEMPTS) await again(attempt + 1);
    else base.log.info({ deployment: record.id }, "left to the instance holding its claim");
  });
  return true;
}
