/**
 * After a failed deploy: roll the changed services back to their last good revision, record that
 * as a Deployment of the version rolled back to, and open the post-mortem issue.
 */
import { versionOfImage } from "../../domain/deploy/resolve-service-images.js";
import type { DeployDeps } from "./deploy-deps.js";
import type { DeployJob } from "./deploy-job.js";
import { goodImagesOf, planRollbacks } from "./plan-rollbacks.js";
import { recordRollback, type RollbackReport } from "./record-rollback.js";
import type { Timeline } from "./timeline.js";

export async function autoRollback(
  deps: DeployDeps,
  job: DeployJob,
  changed: readonly string[],
  cause: string,
  timeline: Timeline,
): Promise<RollbackReport> {
  const records = await deps.records.list({ environment: job.env, limit: 30 });
  const good = goodImagesOf(records.filter((r) => r.id !== job.recordId));
  const healthyBefore = new Map<string, number>();
  for (const s of job.payload.services)
    if (s.previousHealthy && s.previousRevision !== undefined)
      healthyBefore.set(s.deployment, s.previousRevision);
  const services = job.payload.services.filter((s) => changed.includes(s.deployment));
  timeline.add(`automatic rollback started: ${cause}`);
  const plans = await planRollbacks(job.cluster, job.payload.namespace, services, {
    kind: "last-good",
    good,
    healthyBefore,
  });
  const toVersion = plans.map((p) => versionOfImage(p.image)).find((v) => v !== undefined) ?? "unknown";
  return recordRollback(deps, job, plans, {
    action: "auto-rollback",
    fromVersion: job.payload.version,
    toVersion,
    cause,
    trigger: "automatic",
    timeline,
  });
}
