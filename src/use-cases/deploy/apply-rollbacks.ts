/** Apply planned rollbacks (the JSON patch `kubectl rollout undo` sends) and watch them. */
import type { Cluster } from "../../ports/cluster.js";
import type { ServiceRollback } from "./plan-rollbacks.js";
import { watchRollouts, type WatchResult } from "./rollout-steps.js";
import type { Timeline } from "./timeline.js";

export interface AppliedRollbacks {
  patched: ServiceRollback[];
  refused: ServiceRollback[];
  results: WatchResult[];
}

export async function applyRollbacks(
  cluster: Cluster,
  namespace: string,
  plans: readonly ServiceRollback[],
  deadlineMs: number,
  timeline: Timeline,
  now: () => number,
): Promise<AppliedRollbacks> {
  const patched: ServiceRollback[] = [];
  const refused: ServiceRollback[] = [];
  for (const p of plans) {
    if (p.plan.kind !== "patch") {
      refused.push(p);
      timeline.add(`\`${p.deployment}\`: rollback refused: ${p.plan.message}`);
      continue;
    }
    await cluster.patchDeployment(namespace, p.deployment, p.plan.patch, "json");
    timeline.add(`\`${p.deployment}\` rolled back to revision ${p.plan.toRevision} (\`${p.image ?? "?"}\`)`);
    patched.push(p);
  }
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
