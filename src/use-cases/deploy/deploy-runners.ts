/** The deploy commands' runners, binding the GitHub adapters to the command's repository. */
import { createGitHubPorts } from "../../adapters/github/github-ports.js";
import type { CommandContext, CommandRunners } from "../../handlers/command-context.js";
import type { Clock } from "../../ports/clock.js";
import { AppIdentityCache } from "../../adapters/github/app-identity.js";
import {
  defaultOperatorSettings,
  endpointFor,
  type OperatorSettings,
} from "../../config/operator-settings.js";
import { createPrometheusQueries } from "../../adapters/prometheus/prometheus-queries.js";
import type { CanaryMetrics } from "../../ports/canary-metrics.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";
import type { Probe } from "../../ports/deployments.js";
import type { Jobs } from "../../ports/jobs.js";
import type { Metrics } from "../../ports/metrics.js";
import { noopMetrics } from "../../ports/metrics.js";
import type { Octokit } from "../../adapters/github/octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { instanceSettingsFromEnv } from "../../adapters/jobs/instance-settings.js";
import type { DeployDeps, DeployLog, Invocation } from "./deploy-deps.js";
import type { HeldWatches } from "./held-watches.js";
import { allowListedClusters } from "./namespace-allow-list.js";
import { lockEnvironment, unlockEnvironment } from "./lock-environment.js";
import { runCanary } from "./run-canary.js";
import { scaleService } from "./scale-service.js";
import { showStatus } from "./show-status.js";
import { startDeploy } from "./start-deploy.js";
import { startRollback } from "./start-rollback.js";

/** App-wide dependencies of the deploy commands. */
export interface DeployAppDeps {
  clusters: ClusterProvider;
  jobs: Jobs;
  clock: Clock;
  metrics?: Metrics;
  probe: Probe;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Poll period of the smoke-test workflow run (default 5 s). */
  smokePollMs?: number;
  /** This instance's stable name (default: `RELEASE_PILOT_INSTANCE`, else the host name). */
  instance?: string;
  claimMarginSeconds?: number;
  claimRecheckMs?: number;
  /** The watch claims held, for the hand-over on stop. */
  watches?: HeldWatches;
  /** The operator's settings (namespace allow-lists per cluster); absent: the defaults. */
  operator?: OperatorSettings;
  /** How long a stopping app lets running rollouts finish before handing them over (default 20 s). */
  shutdownGraceMs?: number;
  /** This App's id and slug, to tell its Deployment records from others' (absent: read once per deps). */
  identity?: AppIdentityCache;
  /** Where the operator's tokens are read (`prometheus[].tokenEnv`); default: the process environment. */
  env?: Record<string, string | undefined>;
}

/** One identity per app-wide deps when none is given: `GET /app` is asked once. */
const identities = new WeakMap<DeployAppDeps, AppIdentityCache>();
const identityOf = (app: DeployAppDeps): AppIdentityCache => {
  if (app.identity) return app.identity;
  const found = identities.get(app) ?? new AppIdentityCache();
  identities.set(app, found);
  return found;
};

const defaultSettings = defaultOperatorSettings();

/** The operator's Prometheus for a repository (the first entry serving it), with its token; else none. */
const canaryMetricsFor = (app: DeployAppDeps, repo: RepoRef): CanaryMetrics | undefined => {
  const endpoint = endpointFor(app.operator?.prometheus ?? [], repo);
  if (!endpoint) return undefined;
  const env = app.env ?? process.env;
  return createPrometheusQueries({
    baseUrl: endpoint.url,
    token: endpoint.tokenEnv ? env[endpoint.tokenEnv] : undefined,
  });
};

/** A pause that ends early (and quietly) when `signal` aborts. */
const defaultSleep = (ms: number, signal?: AbortSignal) =>
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

/** The deploy ports bound to one repository and the issue where replies go. */
export const deployDepsForRepo = (
  app: DeployAppDeps,
  where: { octokit: Octokit; repo: RepoRef; issueNumber: number; tagPrefix: string; log: DeployLog },
): DeployDeps => {
  const { octokit, repo } = where;
  const sleep = app.sleep ?? defaultSleep;
  const identity = identityOf(app);
  // Only the records this App created are read back (a forged one is skipped and logged).
  const github = createGitHubPorts(octokit, repo, undefined, {
    trust: {
      self: () => identity.of(octokit),
      ignored: (record, reason) =>
        where.log.info(
          { deployment: record.id, environment: record.environment, creator: record.creator, reason },
          "ignored a Deployment record this App did not create",
        ),
    },
    smoke: { sleep, ...(app.smokePollMs ? { pollMs: app.smokePollMs } : {}) },
  });
  const conversation = github.conversation(where.issueNumber);
  return {
    // Every cluster call of the deploy commands goes through the operator's namespace allow-list.
    clusters: allowListedClusters(app.clusters, app.operator ?? defaultSettings),
    jobs: app.jobs,
    clock: app.clock,
    metrics: app.metrics ?? noopMetrics,
    probe: app.probe,
    sleep,
    records: github.deployments,
    locks: github.locks,
    tags: github.releaseTags(where.tagPrefix),
    pulls: github.pulls,
    issues: github.issues,
    smoke: github.smokeTests,
    // Issue 0: no conversation (an automatic deploy of develop); the result is only logged.
    thread:
      where.issueNumber > 0
        ? conversation
        : { reply: async (body) => where.log.info({ reply: body.slice(0, 300) }, "deploy result") },
    log: where.log,
    instance: app.instance ?? instanceSettingsFromEnv().instance,
    ...(app.claimMarginSeconds !== undefined ? { claimMarginSeconds: app.claimMarginSeconds } : {}),
    ...(app.claimRecheckMs !== undefined ? { claimRecheckMs: app.claimRecheckMs } : {}),
    ...(app.watches ? { watches: app.watches } : {}),
    ...optional("canaryMetrics", canaryMetricsFor(app, repo)),
    ...(where.issueNumber > 0 ? { progress: conversation } : {}),
  };
};

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export const deployDepsFor = (app: DeployAppDeps, context: CommandContext): DeployDeps =>
  deployDepsForRepo(app, {
    octokit: context.octokit,
    repo: context.repo,
    issueNumber: context.issue.number,
    tagPrefix: context.config.release.tagPrefix,
    log: context.log,
  });

export const invocationOf = (context: CommandContext): Invocation => ({
  config: context.config,
  actor: context.actor,
  issue: context.issue.number,
  issueUrl: `${context.repoUrl}/issues/${context.issue.number}`,
});

export const createDeployRunners = (app: DeployAppDeps): CommandRunners => ({
  deploy: (context, command) => startDeploy(deployDepsFor(app, context), invocationOf(context), command),
  rollback: (context, command) => startRollback(deployDepsFor(app, context), invocationOf(context), command),
  lock: (context, command) => lockEnvironment(deployDepsFor(app, context), invocationOf(context), command),
  unlock: (context, command) =>
    unlockEnvironment(deployDepsFor(app, context), invocationOf(context), command),
  status: (context, command) => showStatus(deployDepsFor(app, context), invocationOf(context), command),
  canary: (context, command) => runCanary(deployDepsFor(app, context), invocationOf(context), command),
  promote: (context, command) => runCanary(deployDepsFor(app, context), invocationOf(context), command),
  abort: (context, command) => runCanary(deployDepsFor(app, context), invocationOf(context), command),
  scale: (context, command) => scaleService(deployDepsFor(app, context), invocationOf(context), command),
});
