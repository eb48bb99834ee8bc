/**
 * The app-wide services, built once per app from its settings: a test swaps any of them for a
 * fake by passing it in `overrides` (a clock, the clusters, the sleep, the probe, the jobs …).
 */
import { ArtifactCache } from "../adapters/github/checklist-artifact-cache.js";
import { AppIdentityCache } from "../adapters/github/app-identity.js";
import { FileCache } from "../adapters/github/read-repo-file.js";
import { httpProbe } from "../adapters/jobs/http-probe.js";
import { JobTracker } from "../adapters/jobs/job-tracker.js";
import { KubeClusterProvider } from "../adapters/kubernetes/kube-cluster-provider.js";
import { createLogger } from "../adapters/log/logger.js";
import type { OperatorSettings } from "../config/operator-settings.js";
import { commandSpecs } from "../domain/commands/command-specs.js";
import { type Clock, systemClock } from "../ports/clock.js";
import type { ClusterProvider } from "../ports/cluster-provider.js";
import type { Probe } from "../ports/deployments.js";
import type { Jobs } from "../ports/jobs.js";
import type { Metrics } from "../ports/metrics.js";
import { HeldWatches } from "../use-cases/deploy/held-watches.js";
import { ChecklistMemory } from "../use-cases/checklist/memory.js";
import { DeferredMetrics } from "./deferred-metrics.js";
import type { InstanceSettings } from "./instance-settings.js";
import type { AppSettings, Env } from "./settings.js";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface AppServices {
  clock: Clock;
  /**
   * The app's metrics; `GET /metrics` serves them when they are Prometheus's (by default deferred:
   * prom-client is imported once the server listens, see deferred-metrics.ts).
   */
  metrics: Metrics;
  /** Cluster connections by name (the operator's, never a repo's). */
  clusters: ClusterProvider;
  /** Background work after the webhook was answered (rollout watches); tests await `idle()`. */
  jobs: Jobs;
  /** Health checks of deployed services, under the operator's outbound rules. */
  probe: Probe;
  /** The pauses of rollouts and smoke tests. */
  sleep: Sleep;
  /** Poll period of the smoke-test workflow run (absent: the adapter's 5 s). */
  smokePollMs?: number;
  /** The watch claims held, for the hand-over on stop. */
  watches: HeldWatches;
  /** This App's id and slug, read once from `GET /app`. */
  identity: AppIdentityCache;
  /** Repository files already read, with their ETags. */
  fileCache: FileCache;
  /** CI artifacts already downloaded (coverage and security reports), shared by evaluations. */
  artifactCache: ArtifactCache;
  /** Checklist reads immutable by SHA, the last evaluation per release-PR head, bursts coalesced. */
  checklistMemory: ChecklistMemory;
  /** The operator's settings (outbound endpoints and their credentials, namespace allow-lists). */
  operator: OperatorSettings;
  /** Where the tokens the operator's settings name are read. */
  secrets: Env;
  /** This instance's name and its claim and hand-over timing. */
  instance: InstanceSettings;
  /** This App's id, to tell its own check runs and suites from other apps'. */
  appId?: number;
}

/** A pause that ends early (and quietly) when `signal` aborts. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/** Builds every app-wide service once; each given in `overrides` is used instead. */
export const createAppServices = (
  settings: AppSettings,
  overrides: Partial<AppServices> = {},
): AppServices => {
  const operator = overrides.operator ?? settings.operator;
  return {
    clock: overrides.clock ?? systemClock,
    metrics:
      overrides.metrics ??
      new DeferredMetrics(async () =>
        (await import("../adapters/metrics/prometheus.js")).createPrometheusMetrics({
          known: { commands: commandSpecs.map((spec) => spec.name) },
        }),
      ),
    clusters: overrides.clusters ?? new KubeClusterProvider(settings.clusters),
    jobs: overrides.jobs ?? new JobTracker(createLogger(settings.logLevel)),
    probe: overrides.probe ?? httpProbe(operator.outbound),
    sleep: overrides.sleep ?? timerSleep,
    ...(overrides.smokePollMs !== undefined ? { smokePollMs: overrides.smokePollMs } : {}),
    watches: overrides.watches ?? new HeldWatches(),
    identity: overrides.identity ?? new AppIdentityCache(),
    fileCache: overrides.fileCache ?? new FileCache(),
    artifactCache: overrides.artifactCache ?? new ArtifactCache(),
    checklistMemory: overrides.checklistMemory ?? new ChecklistMemory(),
    operator,
    secrets: overrides.secrets ?? settings.secrets,
    instance: overrides.instance ?? settings.instance,
    ...((overrides.appId ?? settings.appId) ? { appId: overrides.appId ?? settings.appId } : {}),
  };
};
