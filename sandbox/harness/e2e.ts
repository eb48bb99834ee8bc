import { createPrometheusMetrics } from "../../src/adapters/metrics/prometheus.js";
import { type Logger, pino } from "pino";
import { type AppOverrides, composeApp } from "../../src/composition/compose-app.js";
import type { AppServices } from "../../src/composition/services.js";
import { settingsFromEnv } from "../../src/composition/settings.js";
import { routes } from "../../src/index.js";
import type { Clock } from "../../src/ports/clock.js";
import { type RunningServer, startServer } from "../../src/composition/server.js";
import { SAMPLE_NAME, SAMPLE_OWNER, SAMPLE_REPO, sampleHistory } from "../sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../github/index.js";
import { httpProbe } from "../../src/adapters/jobs/http-probe.js";
import { parseOperatorSettings } from "../../src/config/operator-settings-schema.js";
import { JobTracker } from "../../src/adapters/jobs/job-tracker.js";
import { KubernetesCluster } from "../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../src/adapters/kubernetes/load-kube-config.js";
import { staticClusterProvider } from "../../src/ports/cluster-provider.js";
import { type ClusterTokens, type FakeCluster, startFakeCluster } from "../kubernetes/index.js";
import { type FakePrometheus, startFakePrometheus } from "../prometheus/index.js";
import { testPrivateKey } from "./keys.js";
import { TestOctokit } from "./test-octokit.js";

/**
 * Makes `sandbox.settled()` wait for the app's work too: the app answers a delivery it acts on
 * before doing the work (src/composition/background-deliveries.ts), so a quiet sandbox with the
 * webhook queue empty can still have that work to come. It returns once the sandbox is quiet and
 * no delivery's work is running (work whose calls caused more deliveries included).
 */
export const settledWithApp = (
  sandbox: GitHubSandbox,
  apps: () => readonly { idle(): Promise<boolean> }[],
) => {
  const quiet = sandbox.settled.bind(sandbox);
  // A RunningServer in this process, or an AppProcess (its `idle()` asks the process).
  const waited = (app: { idle(): Promise<boolean> }) => app.idle();
  sandbox.settled = async (options) => {
    for (;;) {
      await quiet(options);
      let worked = false;
      for (const app of apps()) if (await waited(app)) worked = true;
      if (!worked) return;
    }
  };
};

export interface EndToEnd {
  sandbox: GitHubSandbox;
  app: RunningServer;
  /** The app-wide services the app was composed with (production's, with the fakes below). */
  deps: AppServices;
  repo: string;
  /** An Octokit acting as a person or CI directly on the sandbox (for seeding and assertions). */
  admin: InstanceType<typeof TestOctokit>;
  /** The fake cluster behind the `staging` and `production` connections (with `kubernetes`). */
  cluster: FakeCluster | undefined;
  /** The fake Prometheus the operator's settings name for the sample repository (with `prometheus`). */
  prometheus: FakePrometheus | undefined;
  /** The app's background jobs: `await sandbox.settled(); await jobs.idle();`. */
  jobs: JobTracker;
  /** Wait for the webhooks, the background jobs they started, and the webhooks those caused. */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  /** What others wrote on an issue (the app's replies to `author`), oldest first. */
  repliesTo(issue: number, author: string): string[];
  close(): Promise<void>;
}

export interface EndToEndOptions {
  clock?: Clock;
  /** Seed the sample monorepo (main tagged v1.1.0, develop ahead with conventional commits). */
  seed?: boolean;
  /** Fakes or settings at the app's seams (the operator's settings, the secrets it reads …). */
  overrides?: AppOverrides;
  /** Octokit class for the app (default: retries and throttling off, requests checked). */
  Octokit?: typeof TestOctokit;
  /**
   * Start the fake cluster with the sample's Deployments (bankchurn, carvision, telecom on 1.1.0,
   * plus 0-replica `-canary` twins) in ml-staging and ml-production, as clusters `staging` and
   * `production`.
   */
  kubernetes?: boolean;
  /**
   * With `kubernetes`: the fake cluster checks bearer tokens against these grants (401/403 as the
   * API server answers), and the app connects with `appToken`.
   */
  clusterAuth?: { tokens: ClusterTokens; appToken: string };
  /** Let the app resume in-progress rollouts when it starts (off: the sandbox is seeded after). */
  resumeDeploys?: boolean;
  /** The app's logger (default: silent unless E2E_LOG names a level). */
  log?: Logger;
  /** Start a fake Prometheus, set up as the operator's server (with its token) for the sample repository. */
  prometheus?: boolean;
  /**
   * The app's pauses move its clock on instead of waiting (without `clock`): a 30-minute canary
   * analysis takes moments. Everything the sandbox dates follows the same clock.
   */
  fastForward?: boolean;
  /** The installation's permissions (default: app.yml's default_permissions, as installed). */
  permissions?: Record<string, string>;
}

const PROMETHEUS_TOKEN = "sandbox-prometheus-token";

/** A clock that `sleep` moves on: the pause is skipped, the time it stood for is not. */
const fastForwardTime = () => {
  let offset = 0;
  return {
    clock: { now: () => new Date(Date.now() + offset) },
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) return;
      offset += ms;
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
  };
};

const SAMPLE_SERVICES = [
  ["bankchurn", "ghcr.io/duqueom/bankchurn-api"],
  ["carvision", "ghcr.io/duqueom/carvision-api"],
  ["telecom", "ghcr.io/duqueom/telecom-api"],
] as const;

export const startSampleCluster = async (options: { tokens?: ClusterTokens } = {}): Promise<FakeCluster> => {
  const fake = await startFakeCluster({ tickMs: 5, ...(options.tokens ? { tokens: options.tokens } : {}) });
  for (const namespace of ["ml-staging", "ml-production"])
    for (const [name, image] of SAMPLE_SERVICES) {
      fake.addDeployment({
        namespace,
        name,
        image: `${image}:1.1.0`,
        replicas: 2,
        labels: { app: name, track: "stable" },
      });
      fake.addDeployment({
        namespace,
        name: `${name}-canary`,
        container: name,
        image: `${image}:1.1.0`,
        replicas: 0,
        labels: { app: name, track: "canary" },
      });
    }
  return fake;
};

/** A kubeconfig whose user is a bearer token (the fake serves plain http, so TLS checks are off). */
const tokenKubeconfig = (server: string, token: string): string =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "fake", cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name: "release-pilot", user: { token } }],
    contexts: [{ name: "fake", context: { cluster: "fake", user: "release-pilot" } }],
    "current-context": "fake",
  });

export const WEBHOOK_SECRET = "sandbox-webhook-secret";

/**
 * The operator settings of the harness: the sandbox, the fake cluster and the fake servers all
 * listen on loopback, which the defaults refuse, so private addresses are allowed here (and a
 * test of that refusal passes its own settings in `deps.operator`).
 */
export const sandboxOperatorSettings = () =>
  parseOperatorSettings("outbound:\n  allowPrivateAddresses: true\n");

/** People of the sample repository and their permission. */
export const people = { maintainer: "maintain", developer: "write", reader: "read", admin: "admin" } as const;

/**
 * The real app server (signed webhooks over HTTP, the real Octokit stack) wired to the sandbox
 * GitHub, with the sample monorepo seeded.
 */
export const startEndToEnd = async (options: EndToEndOptions = {}): Promise<EndToEnd> => {
  const fast = options.fastForward && !options.clock ? fastForwardTime() : undefined;
  const clock = options.clock ?? fast?.clock ?? { now: () => new Date() };
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({
    webhook: target,
    now: () => clock.now(),
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  const auth = options.clusterAuth;
  const cluster = options.kubernetes
    ? await startSampleCluster(auth ? { tokens: auth.tokens } : {})
    : undefined;
  const kube =
    cluster &&
    new KubernetesCluster(
      loadKubeConfig(
        auth
          ? { kind: "kubeconfig", yaml: tokenKubeconfig(cluster.url, auth.appToken) }
          : { kind: "server", server: cluster.url },
      ),
    );
  const clusters = staticClusterProvider(kube ? { staging: kube, production: kube } : {});
  const jobs = new JobTracker({ error: (fields, message) => console.error(message, fields) });
  const metrics = createPrometheusMetrics({ processMetrics: false });
  const prometheus = options.prometheus
    ? await startFakePrometheus({ token: PROMETHEUS_TOKEN, now: () => clock.now() })
    : undefined;
  const baseOperator = options.overrides?.operator ?? sandboxOperatorSettings();
  const operator = prometheus
    ? {
        ...baseOperator,
        prometheus: [{ url: prometheus.url, tokenEnv: "PROMETHEUS_TOKEN", repositories: [SAMPLE_REPO] }],
      }
    : baseOperator;
  // Production's composition, from an empty environment (no process settings leak in), with the
  // sandbox's fakes at its seams.
  const settings = await settingsFromEnv({});
  const composed = composeApp(routes, settings, {
    clock,
    clusters,
    jobs,
    metrics,
    probe: httpProbe(operator.outbound, 2000),
    smokePollMs: 20,
    instance: { ...settings.instance, instance: "e2e" },
    appId: 777,
    ...(fast ? { sleep: fast.sleep } : {}),
    ...options.overrides,
    operator,
    // The test's own secrets object as it is (a test may change a token while the app runs).
    secrets: prometheus
      ? { PROMETHEUS_TOKEN, ...options.overrides?.secrets }
      : (options.overrides?.secrets ?? {}),
  });
  const deps = composed.services;
  const app = await startServer({
    app: composed,
    appId: 777,
    privateKey: testPrivateKey(),
    webhookSecret: WEBHOOK_SECRET,
    baseUrl: sandbox.url,
    port: 0,
    host: "127.0.0.1",
    log: options.log ?? pino({ level: process.env.E2E_LOG ?? "silent" }),
    resumeDeploys: options.resumeDeploys ?? false,
    Octokit: options.Octokit ?? TestOctokit,
  });
  target.url = app.webhookUrl;
  settledWithApp(sandbox, () => [app]);
  const admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  // The request log starts after the seeding; unseeded, it keeps everything from the start (the
  // app's own start-up requests may come before this line or after it).
  if (options.seed !== false) {
    await seedSample(sandbox, admin);
    sandbox.resetRequests();
  }
  return {
    sandbox,
    app,
    deps,
    repo: SAMPLE_REPO,
    admin,
    cluster,
    prometheus,
    jobs,
    settle: async (options) => {
      await sandbox.settled(options);
      await jobs.idle();
      await sandbox.settled(options);
    },
    repliesTo: (issue, author) =>
      sandbox
        .issue(SAMPLE_REPO, issue)
        .comments.filter((c) => c.user.login !== author)
        .map((c) => c.body),
    close: async () => {
      await jobs.idle();
      await app.close();
      await sandbox.close();
      await cluster?.close();
      await prometheus?.close();
    },
  };
};

/** The sample monorepo: main released as v1.1.0 (annotated tag), develop ahead of it. */
export const seedSample = async (sandbox: GitHubSandbox, admin: InstanceType<typeof TestOctokit>) => {
  await sandbox.createRepo({
    owner: SAMPLE_OWNER,
    name: SAMPLE_NAME,
    defaultBranch: "main",
    history: sampleHistory(),
  });
  for (const [user, level] of Object.entries(people)) sandbox.setPermission(SAMPLE_REPO, user, level);
  const repo = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };
  const main = await sandbox.getRef(SAMPLE_REPO, "heads/main");
  if (!main) throw new Error("seed: main was not created");
  const { data: tag } = await admin.rest.git.createTag({
    ...repo,
    tag: "v1.1.0",
    message: "Release version 1.1.0",
    object: main,
    type: "commit",
  });
  await admin.rest.git.createRef({ ...repo, ref: "refs/tags/v1.1.0", sha: tag.sha });
};
