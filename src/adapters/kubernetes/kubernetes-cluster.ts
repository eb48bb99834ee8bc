/**
 * The Cluster port over @kubernetes/client-node: AppsV1Api for reads and writes, Watch for
 * rollouts. Objects cross the boundary as plain JSON (the domain's shapes); errors as ClusterError.
 */
import { AppsV1Api, PatchStrategy, Watch, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import { evaluateRolloutStatus, type RolloutStatus } from "../../domain/deploy/evaluate-rollout-status.js";
import type { Deployment, ReplicaSet } from "../../domain/deploy/workload.js";
import { ClusterError, type Cluster, type PatchType, type WatchRolloutOptions } from "../../ports/cluster.js";
import { toClusterError } from "./to-cluster-error.js";
import { isTransient, withRetry, type RetryPolicy } from "./with-retry.js";

export interface KubernetesClusterOptions {
  retry?: RetryPolicy;
  /** Per-request timeout (watches excepted). Default 30 s. */
  requestTimeoutMs?: number;
}

const contentTypes: Record<PatchType, string> = {
  json: PatchStrategy.JsonPatch,
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
};

/** Client models are class instances with Dates; the domain reads the wire JSON. */
const plain = <T>(obj: unknown): T => JSON.parse(JSON.stringify(obj)) as T;

/** A patch carrying metadata.resourceVersion (or a JSON-patch test) is a precondition: its 409 is final. */
const hasPrecondition = (patch: unknown): boolean =>
  (Array.isArray(patch) && patch.some((op) => (op as { op?: string }).op === "test")) ||
  typeof (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion ===
    "string";

export class KubernetesCluster implements Cluster {
  private readonly api: AppsV1Api;
  private readonly watcher: Watch;
  private readonly retry: RetryPolicy;
  private readonly requestTimeoutMs: number;

  constructor(kc: KubeConfig, options: KubernetesClusterOptions = {}) {
    this.api = kc.makeApiClient(AppsV1Api);
    this.watcher = new Watch(kc);
    this.retry = options.retry ?? { retries: 3, backoffMs: 200 };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  private call<T>(what: string, run: () => Promise<T>, conflictRetryable: boolean): Promise<T> {
    const timed = (): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new ClusterError("timeout", `${what}: no answer within ${this.requestTimeoutMs} ms`)),
          this.requestTimeoutMs,
        );
        run().then(
          (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
    return withRetry(
      timed,
      this.retry,
      (e) => isTransient(e, conflictRetryable),
      (e) => toClusterError(e, what),
    );
  }

  async getDeployment(namespace: string, name: string): Promise<Deployment> {
    const d = await this.call(
      `get deployment ${namespace}/${name}`,
      () => this.api.readNamespacedDeployment({ name, namespace }),
      true,
    );
    return plain<Deployment>(d);
  }

  async listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]> {
    const list = await this.call(
      `list replicasets in ${namespace} (${labelSelector})`,
      () => this.api.listNamespacedReplicaSet({ namespace, labelSelector }),
      true,
    );
    return plain<ReplicaSet[]>(list.items);
  }

  async patchDeployment(
    namespace: string,
    name: string,
    patch: unknown,
    type: PatchType,
  ): Promise<Deployment> {
    const d = await this.call(
      `patch deployment ${namespace}/${name}`,
      () =>
        this.api.patchNamespacedDeployment(
          { name, namespace, body: patch, fieldManager: "release-pilot" },
          setHeaderOptions("Content-Type", contentTypes[type]),
        ),
      !hasPrecondition(patch),
    );
    return plain<Deployment>(d);
  }

  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    await this.call(
      `scale deployment ${namespace}/${name}`,
      () =>
        this.api.patchNamespacedDeploymentScale(
          { name, namespace, body: { spec: { replicas } }, fieldManager: "release-pilot" },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        ),
      true,
    );
  }

  /**
   * Like `kubectl rollout status`: read, then watch from that resourceVersion, evaluating every
   * event; a watch the server ends is resumed from the last resourceVersion seen.
   */
  async watchRollout(namespace: string, name: string, options: WatchRolloutOptions): Promise<RolloutStatus> {
    const deadline = Date.now() + options.timeoutMs;
    let last: RolloutStatus | undefined;
    const observe = (d: Deployment): RolloutStatus => {
      const status = evaluateRolloutStatus(d, options.revision);
      if (status.kind === "progressing" && status.message !== last?.message) options.onUpdate?.(status, d);
      last = status;
      return status;
    };
    const first = await this.getDeployment(namespace, name);
    if (observe(first).kind !== "progressing") return last as RolloutStatus;
    let rv = first.metadata.resourceVersion;

    while (Date.now() < deadline) {
      const outcome = await this.watchOnce(namespace, name, rv, deadline - Date.now(), (d, isBookmark) => {
        rv = d.metadata.resourceVersion ?? rv;
        return !isBookmark && observe(d).kind !== "progressing";
      });
      if (outcome.kind === "finished") return last as RolloutStatus;
      if (outcome.kind === "deleted")
        throw new ClusterError("not-found", `deployment ${namespace}/${name} was deleted`);
      if (outcome.kind === "gone") {
        // Our resourceVersion is too old: start over from a fresh read.
        const fresh = await this.getDeployment(namespace, name);
        if (observe(fresh).kind !== "progressing") return last as RolloutStatus;
        rv = fresh.metadata.resourceVersion;
      }
      if (outcome.kind === "error") {
        if (outcome.error.kind !== "unavailable") throw outcome.error;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(this.retry.backoffMs, Math.max(0, deadline - Date.now()))),
        );
      }
    }
    throw new ClusterError(
      "timeout",
      `timed out waiting for deployment ${namespace}/${name}: ${last?.message ?? "no status"}`,
    );
  }

  private watchOnce(
    namespace: string,
    name: string,
    resourceVersion: string | undefined,
    budgetMs: number,
    /** Returns true when the rollout reached a final status. */
    onObject: (d: Deployment, isBookmark: boolean) => boolean,
  ): Promise<
    { kind: "finished" | "ended" | "deleted" | "gone" | "timeout" } | { kind: "error"; error: ClusterError }
  > {
    return new Promise((resolve) => {
      let settled = false;
      let abort: AbortController | undefined;
      const finish = (r: Parameters<typeof resolve>[0]): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        abort?.abort();
        resolve(r);
      };
      const timer = setTimeout(() => finish({ kind: "timeout" }), Math.max(0, budgetMs));
      this.watcher
        .watch(
          `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
          { fieldSelector: `metadata.name=${name}`, resourceVersion, allowWatchBookmarks: true },
          (type, obj) => {
            if (type === "ADDED" || type === "MODIFIED") {
              if (onObject(obj as Deployment, false)) finish({ kind: "finished" });
            } else if (type === "BOOKMARK") onObject(obj as Deployment, true);
            else if (type === "DELETED") finish({ kind: "deleted" });
            else if (type === "ERROR")
              finish({ kind: (obj as { code?: number }).code === 410 ? "gone" : "ended" });
          },
          (err: unknown) =>
            finish(
              err
                ? { kind: "error", error: toClusterError(err, `watch deployment ${namespace}/${name}`) }
                : { kind: "ended" },
            ),
        )
        .then((controller) => {
          abort = controller;
          if (settled) controller.abort();
        })
        .catch((err: unknown) =>
          finish({ kind: "error", error: toClusterError(err, `watch deployment ${namespace}/${name}`) }),
        );
    });
  }
}
