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
  /** Longest wait between two tries of a broken rollout watch (it doubles up to this). Default 5 s. */
  watchBackoffMaxMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  private readonly watchBackoffMaxMs: number;

  constructor(kc: KubeConfig, options: KubernetesClusterOptions = {}) {
    this.api = kc.makeApiClient(AppsV1Api);
    this.watcher = new Watch(kc);
    this.retry = options.retry ?? { retries: 3, backoffMs: 200 };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.watchBackoffMaxMs = options.watchBackoffMaxMs ?? 5_000;
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
   * event. The verdict comes from the Deployment's own status, never from the watch: a watch
   * that breaks (5xx, 504, a dropped connection, an ERROR event) is re-listed and re-watched with
   * backoff, a 410 Gone re-lists at once (our resourceVersion left the server's window), and a
   * server that ends the watch cleanly is resumed from the last resourceVersion seen. See
   * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
   * and https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses.
   * Only three things end it early: a 401/403 (the app may not read or watch Deployments:
   * "forbidden", a permission error, not a rollout verdict), the Deployment deleted or absent
   * ("not-found"), or the overall deadline ("timeout" without an HTTP status).
   */
  async watchRollout(namespace: string, name: string, options: WatchRolloutOptions): Promise<RolloutStatus> {
    const deadline = Date.now() + options.timeoutMs;
    const what = `watch deployment ${namespace}/${name}`;
    let last: RolloutStatus | undefined;
    const observe = (d: Deployment): RolloutStatus => {
      const status = evaluateRolloutStatus(d, options.revision);
      if (status.kind === "progressing" && status.message !== last?.message) options.onUpdate?.(status, d);
      last = status;
      return status;
    };
    const firstDelay = Math.max(1, this.retry.backoffMs);
    let delay = firstDelay;
    let watchErrors = 0;
    let lastError: ClusterError | undefined;
    const backOff = async (error: ClusterError): Promise<void> => {
      watchErrors += 1;
      lastError = error;
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(delay * 2, this.watchBackoffMaxMs);
    };
    /** A watch or read error after which the rollout can still be judged by reading again. */
    const recoverable = (e: ClusterError): boolean =>
      e.kind === "unavailable" || e.kind === "timeout" || e.status === 410;
    const forbidden = (e: ClusterError): ClusterError =>
      new ClusterError(
        "forbidden",
        `${e.message} (Kubernetes refused release-pilot permission to follow the rollout: its role needs get and watch on deployments in ${namespace})`,
        e.status,
        { cause: e },
      );

    let rv: string | undefined;
    let relist = true;
    while (Date.now() < deadline) {
      if (relist) {
        try {
          const fresh = await this.getDeployment(namespace, name);
          if (observe(fresh).kind !== "progressing") return last as RolloutStatus;
          rv = fresh.metadata.resourceVersion;
          relist = false;
        } catch (raw) {
          const e = toClusterError(raw, `get deployment ${namespace}/${name}`);
          if (e.kind === "forbidden") throw forbidden(e);
          if (!recoverable(e)) throw e;
          await backOff(e);
          continue;
        }
      }
      let events = 0;
      const outcome = await this.watchOnce(namespace, name, rv, deadline - Date.now(), (d, isBookmark) => {
        rv = d.metadata.resourceVersion ?? rv;
        events += 1;
        return !isBookmark && observe(d).kind !== "progressing";
      });
      if (events > 0) delay = firstDelay;
      if (outcome.kind === "finished") return last as RolloutStatus;
      if (outcome.kind === "deleted")
        throw new ClusterError("not-found", `deployment ${namespace}/${name} was deleted`);
      if (outcome.kind === "gone") {
        // Our resourceVersion is too old: start over from a fresh read, without waiting.
        relist = true;
        continue;
      }
      if (outcome.kind === "ended" && events === 0) {
        // Ended cleanly with nothing said: resume from rv, but never in a tight loop.
        await backOff(new ClusterError("unavailable", `${what}: the server ended the watch`));
        continue;
      }
      if (outcome.kind === "error") {
        if (outcome.error.kind === "forbidden") throw forbidden(outcome.error);
        // 5xx, 504, 410 as an HTTP status, a dropped connection: read again, then watch again.
        relist = true;
        await backOff(outcome.error);
      }
    }
    const broken = lastError
      ? `; the watch was interrupted ${watchErrors} time(s), last: ${lastError.message}`
      : "";
    throw new ClusterError(
      "timeout",
      `timed out waiting for deployment ${namespace}/${name}: ${last?.message ?? "no status"}${broken}`,
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
            else if (type === "ERROR") {
              // The object of an ERROR event is a Status (code, reason, message).
              const status = obj as { code?: number; message?: string };
              if (status.code === 410) finish({ kind: "gone" });
              else
                finish({
                  kind: "error",
                  error: toClusterError(
                    { statusCode: status.code ?? 500, message: status.message },
                    `watch deployment ${namespace}/${name}`,
                  ),
                });
            }
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
