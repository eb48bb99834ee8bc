/** Apply a canary/promote/abort plan's steps in order. */
import type { DeployPlan } from "../../domain/deploy/build-canary-plan.js";
import type { Cluster } from "../../ports/cluster.js";
import type { Timeline } from "./timeline.js";

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
