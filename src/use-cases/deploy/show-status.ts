/** `/status [env]`: read each environment's services from its cluster, its lock and its records. */
import type { ClusterEnvironment } from "../../config/sections/environments-section.js";
import { imageOf } from "../../domain/deploy/build-image-patch.js";
import { evaluateRolloutStatus } from "../../domain/deploy/evaluate-rollout-status.js";
import {
  type DeployEntry,
  type EnvironmentStatus,
  renderStatus,
  type ServiceStatus,
} from "../../domain/deploy/render-status.js";
import { versionOfImage } from "../../domain/deploy/resolve-service-images.js";
import { revisionOf } from "../../domain/deploy/workload.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { type Cluster, ClusterError } from "../../ports/cluster.js";
import { type DeploymentRecord, isInFlight } from "../../ports/deployments.js";
import type { DeployDeps, Invocation } from "./deploy-deps.js";
import { isUnrecorded, recordedLock, whyStale } from "./stale-lock.js";
import { renderLockAge } from "../../domain/deploy/decide-lock-staleness.js";

const entryOf = (r: DeploymentRecord): DeployEntry => ({
  id: r.id,
  version: r.payload?.version ?? r.ref,
  action: r.payload?.action ?? r.task,
  state: r.state ?? "pending",
  actor: r.payload?.actor ?? r.creator,
  at: r.createdAt,
});

async function readServices(cluster: Cluster, env: ClusterEnvironment): Promise<ServiceStatus[]> {
  return Promise.all(
    env.services.map(async (s): Promise<ServiceStatus> => {
      const d = await cluster.getDeployment(env.namespace, s.deployment);
      const image = imageOf(d, s.container);
      let canary: ServiceStatus["canary"];
      try {
        const c = await cluster.getDeployment(env.namespace, `${s.deployment}${env.canary.suffix}`);
        canary = { image: imageOf(c, s.container), replicas: c.spec?.replicas ?? 0 };
      } catch (e) {
        if (!(e instanceof ClusterError && e.kind === "not-found")) throw e;
      }
      return {
        deployment: s.deployment,
        image,
        version: versionOfImage(image),
        revision: revisionOf(d),
        ready: d.status?.availableReplicas ?? 0,
        desired: d.spec?.replicas ?? 0,
        rollout: evaluateRolloutStatus(d).kind,
        ...(canary ? { canary } : {}),
      };
    }),
  );
}

export async function showStatus(
  deps: Pick<DeployDeps, "clusters" | "locks" | "records" | "clock" | "instance" | "claimMarginSeconds">,
  input: Invocation & { command: { env?: string | undefined } },
): Promise<Outcome> {
  const { command, ...call } = input;
  const all = Object.entries(call.config.environments);
  const chosen = command.env === undefined ? all : all.filter(([name]) => name === command.env);
  if (command.env !== undefined && chosen.length === 0)
    return outcome(
      "not-found",
      `There is no environment \`${command.env}\` in this repository's release-pilot config.`,
    );
  const statuses = await Promise.all(
    chosen.map(async ([name, env]): Promise<EnvironmentStatus> => {
      const [ref, records] = await Promise.all([
        deps.locks.get(name),
        deps.records.list({ environment: name, limit: 10 }),
      ]);
      // A bare lock ref names its holder through its Deployment record, written a moment later.
      const found = ref && recordedLock(ref, records);
      const lock =
        found && isUnrecorded(found)
          ? {
              ...found,
              holder: "unknown",
              reason: "a deploy or rollback is starting (its Deployment record is not written yet)",
            }
          : found;
      const ours = records.filter((r) => r.payload !== undefined);
      const success = ours.find((r) => r.state === "success");
      const stale = found && (await whyStale(deps, found, env.timeoutSeconds, records));
      const status: EnvironmentStatus = {
        env: name,
        namespace: env.namespace,
        lock,
        ...(lock ? { lockAge: renderLockAge(lock.since, deps.clock.now()) } : {}),
        ...(stale ? { lockStale: stale } : {}),
        lastSuccess: success && entryOf(success),
        inFlight: ours.filter((r) => isInFlight(r.state)).map(entryOf),
        services: [],
      };
      // A workflow deploys it: its Deployment records are all there is to read.
      if (env.driver || env.cluster === undefined || env.services === undefined)
        return { ...status, ...(env.driver ? { workflow: env.driver.workflow } : {}) };
      const cluster = deps.clusters.get(env.cluster);
      if (!cluster) return { ...status, clusterError: `no connection for cluster \`${env.cluster}\`` };
      try {
        return {
          ...status,
          services: await readServices(cluster, { ...env, cluster: env.cluster, services: env.services }),
        };
      } catch (e) {
        return { ...status, clusterError: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
  return outcome("done", renderStatus(statuses));
}
