/** Apply a canary/promote/abort plan's steps in order; several services' plans side by side. */
import type { DeployPlan } from "../../domain/deploy/build-canary-plan.js";
import type { Cluster } from "../../ports/cluster.js";
import type { Timeline } from "./timeline.js";

/**
 * Cluster writes in flight at once for one command: the services of an environment are patched
 * together (each Deployment is its own object, so their patches are independent), without a burst
 * of one request per service against the API server's rate limits.
 */
export const CLUSTER_CONCURRENCY = 8;

/**
 * Runs `work` on every item, at most `limit` at a time, and waits for every one started: a
 * failure stops new items from starting, and the first failure is thrown once the others have
 * settled (so a caller that puts things back sees every write that happened).
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failed) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed) throw failed.error;
}

export async function applyClusterSteps(
  cluster: Cluster,
  plan: DeployPlan,
  timeline: Timeline,
): Promise<void> {
  for (const step of plan.steps) {
    if (step.kind === "patch")
      await cluster.patchDeployment(plan.namespace, step.name, step.patch, step.patchType);
    else await cluster.scale(plan.namespace, step.name, step.replicas);
    timeline.add(step.description);
  }
}

/** Several services' plans at once (at most CLUSTER_CONCURRENCY), each plan's steps in order. */
export async function applyClusterPlans(
  cluster: Cluster,
  plans: readonly DeployPlan[],
  timeline: Timeline,
): Promise<void> {
  await forEachBounded(plans, CLUSTER_CONCURRENCY, (plan) => applyClusterSteps(cluster, plan, timeline));
}
