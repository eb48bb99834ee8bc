/**
 * A fake Kubernetes API server for apps/v1 Deployments and ReplicaSets, good enough for the real
 * kubectl (set image, rollout status/history/undo, scale) and for @kubernetes/client-node.
 * Binds 127.0.0.1 on a random port; `close()` stops every timer, watch and socket.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DeploymentController } from "./controller.js";
import { Faults } from "./faults.js";
import type { ClusterTokens } from "./rbac.js";
import type { StringMap, Workload } from "./objects.js";
import { createHandler, type RecordedRequest } from "./server.js";
import { parseLabelSelector } from "./selectors.js";
import { Store } from "./store.js";
import { WorkloadApi } from "./workload-api.js";

export type { Workload, Condition, PodTemplate, Container } from "./objects.js";
export type { FaultRule } from "./faults.js";
export type { ClusterTokens, TokenGrant, Verb } from "./rbac.js";
export type { RecordedRequest } from "./server.js";

export interface FakeClusterOptions {
  /** Automatic controller tick period in ms; 0 disables the timer (drive it with `tick()`). Default 50. */
  tickMs?: number;
  /** Simulated seconds per tick (progress deadlines are counted in these). Default 30. */
  secondsPerTick?: number;
  /** Period of BOOKMARK events on watches that allow them. Default 100 ms. */
  bookmarkMs?: number;
  /** Simulated start time. Default 2026-01-01T00:00:00Z. */
  epoch?: Date;
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone. Default 10,000. */
  eventLogLimit?: number;
  /**
   * Bearer tokens, each bound to verbs per namespace (see rbac.ts). Set: a request without a known
   * token answers 401 and one its grant does not cover 403. Unset: every request is allowed.
   */
  tokens?: ClusterTokens;
  /**
   * How long a watch or list from a resourceVersion newer than the server's waits for it before
   * answering 504 "Too large resource version". Default 3,000 ms (the watch cache's wait).
   */
  tooLargeResourceVersionWaitMs?: number;
}

export interface DeploymentSeed {
  namespace: string;
  name: string;
  image: string;
  /** Container name; defaults to the deployment name. */
  container?: string;
  replicas: number;
  /** Pod labels and selector; defaults to `{ app: name }`. */
  labels?: StringMap;
  annotations?: StringMap;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  /** Run the controller until the seed is rolled out (default true). */
  settle?: boolean;
}

export interface FakeCluster {
  readonly url: string;
  readonly faults: Faults;
  /** Every request received, in order (for asserting what a client sent). */
  readonly requests: RecordedRequest[];
  /** Run the controller `n` times (default 1). */
  tick(n?: number): void;
  /** Tick until nothing changes or every deployment is done/failed, at most `maxTicks`. */
  settle(maxTicks?: number): void;
  stopTicking(): void;
  /** Start the automatic ticks (period: `tickMs`, or 50 ms when it was 0). */
  startTicking(ms?: number): void;
  /** Pods whose image equals this string (or matches this RegExp) never become available. */
  failImages(pattern: string | RegExp): void;
  healImages(): void;
  addDeployment(seed: DeploymentSeed): Workload;
  getDeployment(namespace: string, name: string): Workload | undefined;
  listReplicaSets(namespace: string, labelSelector?: string): Workload[];
  close(): Promise<void>;
}

const isSettled = (d: Workload): boolean => {
  const s = d.status;
  if ((s.observedGeneration ?? 0) < d.metadata.generation) return false;
  if (d.spec.paused) return true;
  const progressing = s.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return true;
  const r = d.spec.replicas;
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r;
};

export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  const failing: (string | RegExp)[] = [];
  // The store stamps creation times with the controller's simulated clock.
  const clock = { now: (): Date => new Date(0) };
  const store = new Store(() => clock.now(), options.eventLogLimit);
  const ctl = new DeploymentController(
    store,
    {
      secondsPerTick: options.secondsPerTick ?? 30,
      isFailing: (image) => failing.some((p) => (typeof p === "string" ? p === image : p.test(image))),
    },
    (options.epoch ?? new Date("2026-01-01T00:00:00Z")).getTime(),
  );
  clock.now = () => ctl.now();
  const api = new WorkloadApi(store);
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const stoppers = new Set<() => void>();
  const track = (stop: () => void): (() => void) => {
    stoppers.add(stop);
    return () => stoppers.delete(stop);
  };
  const server: Server = createServer(
    createHandler({
      store,
      api,
      faults,
      requests,
      bookmarkMs: options.bookmarkMs ?? 100,
      tokens: options.tokens,
      tooLargeWaitMs: options.tooLargeResourceVersionWaitMs ?? 3000,
      track,
    }),
  );
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const tickMs = options.tickMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  // An explicit start uses the default period when the automatic timer was disabled.
  const startTicking = (ms = tickMs || 50): void => {
    if (!timer && ms > 0) timer = setInterval(() => ctl.tick(), ms);
  };
  const stopTicking = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  if (tickMs > 0) startTicking();

  const tick = (n = 1): void => {
    for (let i = 0; i < n; i++) ctl.tick();
  };
  const settle = (maxTicks = 60): void => {
    for (let i = 0; i < maxTicks; i++) {
      const before = store.resourceVersion;
      ctl.tick();
      if (store.resourceVersion === before && store.list("Deployment", undefined).every(isSettled)) return;
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    tick,
    settle,
    stopTicking,
    startTicking,
    failImages: (p) => void failing.push(p),
    healImages: () => void failing.splice(0),
    addDeployment(seed) {
      const labels = seed.labels ?? { app: seed.name };
      const created = api.create("Deployment", seed.namespace, {
        metadata: {
          name: seed.name,
          namespace: seed.namespace,
          labels,
          ...(seed.annotations ? { annotations: seed.annotations } : {}),
        },
        spec: {
          replicas: seed.replicas,
          selector: { matchLabels: labels },
          ...(seed.paused ? { paused: true } : {}),
          ...(seed.progressDeadlineSeconds ? { progressDeadlineSeconds: seed.progressDeadlineSeconds } : {}),
          template: {
            metadata: { labels },
            spec: { containers: [{ name: seed.container ?? seed.name, image: seed.image }] },
          },
        },
      });
      if (seed.settle === false) return created;
      settle();
      return store.get("Deployment", seed.namespace, seed.name) ?? created;
    },
    getDeployment: (ns, name) => store.get("Deployment", ns, name),
    listReplicaSets: (ns, selector) => store.list("ReplicaSet", ns, parseLabelSelector(selector ?? null)),
    async close() {
      stopTicking();
      for (const stop of [...stoppers]) stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
