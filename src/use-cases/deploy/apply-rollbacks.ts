/** Apply planned rollbacks (the JSON patch `kubectl rollout undo` sends) and watch them. */
import type { Cluster } from "../../ports/cluster.js";
import type { ServiceRollback } from "./plan-rollbacks.js";
import { PartialPatchError, say, watchRollouts, type WatchResult } from "./rollout-steps.js";
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
 * Put a rolled-back service back where it was: the template (and annotations) it had when the
 * rollback was planned, as one JSON patch like the rollback's own. The line says where it is now.
 */
async function putBack(cluster: Cluster, namespace: string, p: ServiceRollback): Promise<string> {
  const before = p.before;
  if (!before?.template)
    return `\`${p.deployment}\`: rolled back to \`${p.image ?? "?"}\`, and what it ran before is unknown: left there`;
  try {
    await cluster.patchDeployment(
      namespace,
      p.deployment,
      [
        { op: "replace", path: "/spec/template", value: before.template },
        { op: "replace", path: "/metadata/annotations", value: before.annotations ?? {} },
      ],
      "json",
    );
    return `\`${p.deployment}\`: put back on \`${before.image ?? "?"}\``;
  } catch (e) {
    return `\`${p.deployment}\`: ⚠️ left on \`${p.image ?? "?"}\`: putting it back failed (${say(e)})`;
  }
}

/**
 * Send the planned patches side by side, at most CLUSTER_CONCURRENCY in flight (one Deployment
 * each, so they are independent). All or nothing: when one is refused (after the adapter's retries), the services already rolled back
 * are put back, and a PartialPatchError tells each service's state, so the environment is not
 * left on mixed versions without a word.
 */
export async function patchRollbacks(
  cluster: Cluster,
  namespace: string,
  plans: readonly ServiceRollback[],
  timeline: Timeline,
): Promise<PatchedRollbacks> {
  const patched = plans.filter((p) => p.plan.kind === "patch");
  const refused = plans.filter((p) => p.plan.kind !== "patch");
  const sent: PromiseSettledResult<void>[] = [];
  await forEachBounded([...patched.entries()], CLUSTER_CONCURRENCY, async ([i, p]) => {
    try {
      if (p.plan.kind === "patch")
        await cluster.patchDeployment(namespace, p.deployment, p.plan.patch, "json");
      sent[i] = { status: "fulfilled", value: undefined };
    } catch (reason) {
      sent[i] = { status: "rejected", reason };
    }
  });
  const failedAt = sent.findIndex((r) => r.status === "rejected");
  const failure = sent[failedAt];
  if (failure?.status === "rejected") {
    const states: string[] = [];
    for (const [i, p] of patched.entries()) {
      const result = sent[i];
      if (result?.status === "fulfilled") states.push(await putBack(cluster, namespace, p));
      else
        states.push(
          `\`${p.deployment}\`: not rolled back (${say(result?.reason)}); still on \`${p.before?.image ?? "?"}\``,
        );
    }
    for (const p of refused) states.push(`\`${p.deployment}\`: not rolled back: ${p.plan.message}`);
    for (const line of states) timeline.add(line);
    throw new PartialPatchError(patched[failedAt]?.deployment ?? "?", failure.reason, states);
  }
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
