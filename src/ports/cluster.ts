/**
 * The cluster as the deploy use-cases see it: read a Deployment and its ReplicaSets, patch,
 * scale, and wait for a rollout to finish. Implementations throw ClusterError, never client
 * library errors.
 */
import type { RolloutStatus } from "../domain/deploy/evaluate-rollout-status.js";
import type { Deployment, ReplicaSet } from "../domain/deploy/workload.js";

/** json = RFC 6902, merge = RFC 7386, strategic = Kubernetes strategic merge patch. */
export type PatchType = "json" | "merge" | "strategic";

export const clusterErrorKinds = [
  "not-found",
  "conflict",
  "unavailable",
  "timeout",
  "forbidden",
  "invalid",
] as const;
export type ClusterErrorKind = (typeof clusterErrorKinds)[number];

export class ClusterError extends Error {
  override readonly name = "ClusterError";
  readonly kind: ClusterErrorKind;
  /** HTTP status from the API server, when there was one. */
  readonly status: number | undefined;
  constructor(kind: ClusterErrorKind, message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.status = status;
  }
}

export interface WatchRolloutOptions {
  /** Give up (ClusterError "timeout") when the rollout is neither done nor failed by then. */
  timeoutMs: number;
  /** Require this revision to be the running one (as `kubectl rollout status --revision`). */
  revision?: number;
  /** Called with each distinct intermediate status, e.g. to update a check run. */
  onUpdate?: (status: RolloutStatus, deployment: Deployment) => void;
}

export interface Cluster {
  getDeployment(namespace: string, name: string): Promise<Deployment>;
  /** ReplicaSets matching a label selector such as `app=bankchurn`. */
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]>;
  patchDeployment(namespace: string, name: string, patch: unknown, type: PatchType): Promise<Deployment>;
  /** Set spec.replicas through the scale subresource. */
  scale(namespace: string, name: string, replicas: number): Promise<void>;
  /** Resolve with the final status ("done" or "failed"); reject with ClusterError on timeout. */
  watchRollout(namespace: string, name: string, options: WatchRolloutOptions): Promise<RolloutStatus>;
}
