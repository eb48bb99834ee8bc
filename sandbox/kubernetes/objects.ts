/**
 * The slice of apps/v1 the fake cluster stores, plus the defaulting the real API server applies
 * on every write (so a template kubectl sends back, with Go's zero values, compares equal to
 * the one stored in a ReplicaSet).
 */
import { createHash } from "node:crypto";
import type { Json } from "./patch.js";

export type StringMap = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  labels?: StringMap;
  annotations?: StringMap;
  ownerReferences?: OwnerReference[];
}

export interface Container {
  name: string;
  image?: string;
  [key: string]: Json | undefined;
}

export interface PodTemplate {
  metadata?: { labels?: StringMap; annotations?: StringMap; [key: string]: Json | undefined };
  spec: { containers: Container[]; [key: string]: Json | Container[] | undefined };
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  fullyLabeledReplicas?: number;
  conditions?: Condition[];
}

export interface WorkloadSpec {
  replicas: number;
  selector: { matchLabels?: StringMap };
  template: PodTemplate;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  strategy?: {
    type: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
}

export type Kind = "Deployment" | "ReplicaSet";

export interface Workload {
  apiVersion: "apps/v1";
  kind: Kind;
  metadata: ObjectMeta;
  spec: WorkloadSpec;
  status: WorkloadStatus;
}

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const HASH_LABEL = "pod-template-hash";

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Drop null values deeply, as decoding into Go structs with omitempty does. */
export function dropNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map(dropNulls) as T;
  if (!isMap(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = dropNulls(x);
  return out as T;
}

const pullPolicy = (image: string | undefined): string => {
  const ref = image ?? "";
  const tag = ref.includes("@") ? "" : (ref.split("/").pop()?.split(":")[1] ?? "latest");
  return tag === "latest" ? "Always" : "IfNotPresent";
};

/** The API server's pod-template defaults (SetDefaults_PodSpec / SetDefaults_Container). */
export function defaultTemplate(t: PodTemplate): PodTemplate {
  const tpl = dropNulls(structuredClone(t));
  tpl.metadata ??= {};
  const spec = tpl.spec;
  spec.containers = (spec.containers ?? []).map((c) => ({
    resources: {},
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: pullPolicy(c.image),
    ...c,
    ...(Array.isArray(c.ports)
      ? { ports: c.ports.map((p) => (isMap(p) ? { protocol: "TCP", ...p } : p)) }
      : {}),
  }));
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  return tpl;
}

/** Deployment defaults (SetDefaults_Deployment). */
export function defaultWorkload(w: Workload): Workload {
  const spec = w.spec;
  spec.replicas ??= 1;
  // `paused` is `bool,omitempty` in Go: false is never stored.
  if (spec.paused === false) delete spec.paused;
  spec.template = defaultTemplate(spec.template);
  if (w.kind === "Deployment") {
    spec.strategy ??= { type: "RollingUpdate" };
    if (spec.strategy.type === "RollingUpdate") {
      spec.strategy.rollingUpdate = {
        maxSurge: "25%",
        maxUnavailable: "25%",
        ...spec.strategy.rollingUpdate,
      };
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }
  return w;
}

/** Canonical JSON (sorted keys) so equal templates compare and hash equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isMap(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Template without the pod-template-hash label, as the controller's EqualIgnoreHash compares. */
export function withoutHash(t: PodTemplate): PodTemplate {
  const copy = structuredClone(t);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

export const equalIgnoreHash = (a: PodTemplate, b: PodTemplate): boolean =>
  canonical(withoutHash(a)) === canonical(withoutHash(b));

// The alphabet of k8s.io/apimachinery rand.SafeEncodeString: no vowels, no look-alikes.
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** A pod-template-hash in the controller's style (10 safe characters). */
export function templateHash(t: PodTemplate, collisionCount = 0): string {
  const digest = createHash("sha256")
    .update(canonical(withoutHash(t)) + String(collisionCount))
    .digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE[b % SAFE.length]).join("");
}

export const revisionOf = (w: Workload): number => {
  const n = Number(w.metadata.annotations?.[REVISION]);
  return Number.isInteger(n) ? n : 0;
};

export const matchesLabels = (labels: StringMap | undefined, want: StringMap): boolean =>
  Object.entries(want).every(([k, v]) => labels?.[k] === v);
