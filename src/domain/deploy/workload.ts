/**
 * The small slice of apps/v1 Deployment and ReplicaSet the deploy logic reads. Plain JSON shapes
 * (as the API server sends them), so the domain has no dependency on a Kubernetes client.
 */

export type StringMap = Record<string, string>;

export interface OwnerReference {
  uid: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: StringMap;
  annotations?: StringMap;
  ownerReferences?: OwnerReference[];
}

export interface Container {
  name: string;
  image?: string;
  [field: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: StringMap; annotations?: StringMap; [field: string]: unknown };
  spec?: { containers: Container[]; initContainers?: Container[]; [field: string]: unknown };
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: { matchLabels?: StringMap };
    template?: PodTemplate;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface ReplicaSet {
  metadata: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
const HASH_LABEL = "pod-template-hash";

/** The revision a Deployment or ReplicaSet carries, or undefined when absent or malformed. */
export function revisionOf(obj: { metadata: ObjectMeta }): number | undefined {
  const raw = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Sorted-key JSON without null/undefined values, so semantically equal objects compare equal. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isMap(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined && v[k] !== null)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A copy of the template without the controller's pod-template-hash label. */
export function templateWithoutHash(t: PodTemplate): PodTemplate {
  const copy = structuredClone(t);
  if (copy.metadata?.labels && HASH_LABEL in copy.metadata.labels) {
    const { [HASH_LABEL]: _hash, ...labels } = copy.metadata.labels;
    copy.metadata = { ...copy.metadata, labels };
  }
  return copy;
}

/** kubectl's equalIgnoreHash: the templates match once the hash label is dropped. */
export const equalIgnoreHash = (a: PodTemplate | undefined, b: PodTemplate | undefined): boolean =>
  canonicalJson(templateWithoutHash(a ?? {})) === canonicalJson(templateWithoutHash(b ?? {}));

/** The ReplicaSets this Deployment controls (controller owner reference with its uid). */
export function ownedReplicaSets(deployment: Deployment, replicaSets: readonly ReplicaSet[]): ReplicaSet[] {
  const uid = deployment.metadata.uid;
  if (!uid) return [...replicaSets];
  return replicaSets.filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid),
  );
}
