/**
 * What `kubectl rollout undo [--to-revision=N]` does, as a pure plan: pick the target ReplicaSet
 * (kubectl's deploymentRevision), refuse like kubectl would, and build the JSON patch of
 * getDeploymentPatch (template without pod-template-hash; annotations per annotationsToSkip).
 */
import {
  equalIgnoreHash,
  ownedReplicaSets,
  revisionOf,
  templateWithoutHash,
  type Deployment,
  type PodTemplate,
  type ReplicaSet,
  type StringMap,
} from "./workload.js";

/** Annotations that belong to the Deployment, never copied back from a ReplicaSet. */
const annotationsToSkip: ReadonlySet<string> = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

export interface JsonPatchOperation {
  op: "replace";
  path: string;
  value: unknown;
}

export type RollbackPlan =
  | { kind: "patch"; toRevision: number; template: PodTemplate; patch: JsonPatchOperation[]; message: string }
  | {
      kind: "refused";
      reason: "paused" | "revision-not-found" | "no-history" | "already-current";
      message: string;
    };

function targetReplicaSet(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  toRevision: number,
): { rs: ReplicaSet; revision: number } | Extract<RollbackPlan, { kind: "refused" }> {
  const notFound = {
    kind: "refused",
    reason: "revision-not-found",
    message: `unable to find specified revision ${toRevision} in history`,
  } as const;
  if (toRevision < 0) return notFound;
  let latest: { rs: ReplicaSet; revision: number } | undefined;
  let previous: { rs: ReplicaSet; revision: number } | undefined;
  for (const rs of ownedReplicaSets(deployment, replicaSets)) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision > 0) {
      if (v === toRevision) return { rs, revision: v };
      continue;
    }
    if (!latest || latest.revision < v) {
      previous = latest;
      latest = { rs, revision: v };
    } else if (!previous || previous.revision < v) previous = { rs, revision: v };
  }
  if (toRevision > 0) return notFound;
  if (!previous)
    return {
      kind: "refused",
      reason: "no-history",
      message: `no rollout history found for deployment "${deployment.metadata.name}"`,
    };
  return previous;
}

/** Plan the rollback of `deployment` to `toRevision` (0 or omitted: the previous revision). */
export function buildRollback(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  toRevision = 0,
): RollbackPlan {
  const target = targetReplicaSet(deployment, replicaSets, toRevision);
  if ("kind" in target) return target;
  if (deployment.spec?.paused)
    return {
      kind: "refused",
      reason: "paused",
      message:
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    };
  const rsTemplate = target.rs.spec?.template ?? {};
  if (equalIgnoreHash(rsTemplate, deployment.spec?.template))
    return {
      kind: "refused",
      reason: "already-current",
      message: `skipped rollback (current template already matches revision ${target.revision})`,
    };

  const template = templateWithoutHash(rsTemplate);
  const annotations: StringMap = {};
  for (const k of annotationsToSkip) {
    const v = deployment.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(target.rs.metadata.annotations ?? {}))
    if (!annotationsToSkip.has(k)) annotations[k] = v;

  return {
    kind: "patch",
    toRevision: target.revision,
    template,
    patch: [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: annotations },
    ],
    message: "rolled back",
  };
}
