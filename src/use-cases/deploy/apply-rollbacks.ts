/** Apply planned rollbacks (the JSON patch `kubectl rollout undo` sends) and watch them. */
import type { Cluster } from "../../ports/cluster.js";
import type { ServiceRollback } from "./plan-rollbacks.js";
import { watchRollouts, type WatchResult } from "./rollout-steps.js";
import type { Timeline } from "./timeline.js";
import { CLUSTER_CONCURRENCY, forEachBounded } from "./apply-cluster-steps.js";

export interface PatchedRollbacks {
  patched: ServiceRollback[];
  refused: ServiceRollback[];
}

export interface AppliedRollbacks extends PatchedRollbacks {
  results: WatchResult[];
}

/**
 * Send the planned patches side by side, at most CLUSTER_CONCURRENCY in flight (one Deployment
 * each, so they are independent); a refused patch is thrown once the others have settled.
 */
export async function patchRollbacks(
  cluster: Cluster,
  namespace: string,
  plans: readonly ServiceRollback[],
  timeline: Timeline,
): Promise<PatchedRollbacks> {
  const patched = plans.filter((p) => p.plan.kind === "patch");
  const refused = plans.filter((p) => p.plan.kind !== "patch");
  await forEachBounded(patched, CLUSTER_CONCURRENCY, async (p) => {
    if (p.plan.kind === "patch") await cluster.patchDeployment(namespace, p.deployment, p.plan.patch, "json");
  });
  for (const p of plans) {
    if (p.plan.kind === "patch")
      timeline.add(
        `\`${p.deployment}\` rolled back to revision ${p.plan.toRevision} (\`${p.image ?? "?"}\`)`,
      );
    else timeline.add(`\`${p.deployment}\`: rollback refused: ${p.plan.message}`);
  }
  return { patched, refused };
}

/** Patch (unless `already` says it was done) and watch the rollouts to their end. */
export async function applyRollbacks(
  cluster: Cluster,
  namespace: string,
  plans: readonly ServiceRollback[],
  deadlineMs: number,
  timeline: Timeline,
  now: () => number,
  already?: PatchedRollbacks,
): Promise<AppliedRollbacks> {
  const { patched, refused } = already ?? (await patchRollbacks(cluster, namespace, plans, timeline));
  const results = await watchRollouts(
    cluster,
    namespace,
    patched.map((p) => p.deployment),
    deadlineMs,
    timeline,
    now,
  );
  return { patched, refused, results };
}
