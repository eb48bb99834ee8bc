/**
 * kubectl's DeploymentStatusViewer as a pure function: same checks in the same order, same
 * messages (without the trailing newline), so a chat reply reads like `kubectl rollout status`.
 */
import { revisionOf, type Deployment } from "./workload.js";

export interface RolloutStatus {
  kind: "done" | "progressing" | "failed";
  message: string;
}

/** The Progressing condition reason the controller sets when the deadline passes. */
const TIMED_OUT_REASON = "ProgressDeadlineExceeded";

export function evaluateRolloutStatus(deployment: Deployment, revision?: number): RolloutStatus {
  const name = deployment.metadata.name;
  if (revision !== undefined && revision > 0) {
    const running = revisionOf(deployment);
    if (running === undefined)
      return { kind: "failed", message: `cannot get the revision of deployment "${name}"` };
    if (running !== revision)
      return {
        kind: "failed",
        message: `desired revision (${revision}) is different from the running revision (${running})`,
      };
  }
  const status = deployment.status ?? {};
  if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0))
    return { kind: "progressing", message: "Waiting for deployment spec update to be observed..." };

  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === TIMED_OUT_REASON)
    return { kind: "failed", message: `deployment "${name}" exceeded its progress deadline` };

  const replicas = deployment.spec?.replicas;
  const updated = status.updatedReplicas ?? 0;
  const wait = (what: string): RolloutStatus => ({
    kind: "progressing",
    message: `Waiting for deployment "${name}" rollout to finish: ${what}...`,
  });
  if (replicas !== undefined && updated < replicas)
    return wait(`${updated} out of ${replicas} new replicas have been updated`);
  if ((status.replicas ?? 0) > updated)
    return wait(`${(status.replicas ?? 0) - updated} old replicas are pending termination`);
  if ((status.availableReplicas ?? 0) < updated)
    return wait(`${status.availableReplicas ?? 0} of ${updated} updated replicas are available`);
  return { kind: "done", message: `deployment "${name}" successfully rolled out` };
}
