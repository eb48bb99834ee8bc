/**
 * The rollback target a careful operator picks: the newest revision older than the current one
 * whose ReplicaSet was good (fully available, or whatever `isGood` knows), skipping revisions
 * that run the current template, rather than blindly the previous revision.
 */
import { equalIgnoreHash, revisionOf, type ReplicaSet } from "./workload.js";

export interface GoodRevision {
  revision: number;
  replicaSet: ReplicaSet;
}

/** Fully available right now: every desired pod is available (and there is at least one). */
export const isFullyAvailable = (rs: ReplicaSet): boolean =>
  (rs.spec?.replicas ?? 0) > 0 && (rs.status?.availableReplicas ?? 0) >= (rs.spec?.replicas ?? 0);

export function findLastGoodRevision(
  replicaSets: readonly ReplicaSet[],
  currentRevision: number,
  isGood: (rs: ReplicaSet, revision: number) => boolean,
): GoodRevision | undefined {
  const current = replicaSets.find((rs) => revisionOf(rs) === currentRevision);
  return replicaSets
    .map((rs) => ({ revision: revisionOf(rs), replicaSet: rs }))
    .filter((c): c is GoodRevision => c.revision !== undefined && c.revision < currentRevision)
    .filter((c) => !current || !equalIgnoreHash(c.replicaSet.spec?.template, current.spec?.template))
    .sort((a, b) => b.revision - a.revision)
    .find((c) => isGood(c.replicaSet, c.revision));
}
