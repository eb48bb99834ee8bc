/** What the deploy use-cases are handed: app-wide services plus the repository-bound GitHub ports. */
import type { Config } from "../../config/schema.js";
import type { ClusterEnvironment, EnvironmentConfig } from "../../config/sections/environments-section.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { CanaryMetrics } from "../../ports/canary-metrics.js";
import type { Clock } from "../../ports/clock.js";
import type { Cluster } from "../../ports/cluster.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";
import type { DeploymentRecords, Probe, ReleaseTags, SmokeTests, Thread } from "../../ports/deployments.js";
import type { Issues } from "../../ports/issues.js";
import type { Jobs } from "../../ports/jobs.js";
import type { Locks } from "../../ports/locks.js";
import type { Metrics } from "../../ports/metrics.js";
import type { ProgressComments } from "../../ports/progress-comments.js";
import type { Pulls } from "../../ports/pulls.js";
import type { HeldWatches } from "./held-watches.js";

export interface DeployLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DeployDeps {
  clusters: ClusterProvider;
  jobs: Jobs;
  clock: Clock;
  metrics: Metrics;
  probe: Probe;
  records: DeploymentRecords;
  locks: Locks;
  tags: ReleaseTags;
  /** The PRs that shipped versions and their reviews, for the approvals gate. */
  pulls: Pick<Pulls, "findShipped" | "listReviews">;
  /**
   * Reviewers' permissions (the approvals gate) and post-mortem issues; the thread's earlier
   * replies, where given (a deploy resumed after its result was told: see told-conclusion.ts).
   */
  issues: Pick<Issues, "permissionOf" | "openIssue"> & Partial<Pick<Issues, "findComment" | "updateComment">>;
  smoke: SmokeTests;
  thread: Thread;
  log: DeployLog;
  /** Name of this app instance, written on watch claims. */
  instance: string;
  /** Pause between health-check attempts (and between looks at another instance's claim). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Added to an environment's timeout to date a watch claim (default 60 s). */
  claimMarginSeconds?: number;
  /** How often a claim held by another instance is looked at again (default 15 s). */
  claimRecheckMs?: number;
  /** The claims this instance holds, handed over when it stops. */
  watches?: HeldWatches;
  /** The Prometheus the operator set up for this repository (canary analysis); absent: none. */
  canaryMetrics?: CanaryMetrics;
  /** The canary analysis' progress comment on the command's issue. */
  progress?: ProgressComments;
}

/** A post-mortem issue, labelled `post-mortem` so a team can find every one. */
export const openPostMortem = (issues: Pick<Issues, "openIssue">, title: string, body: string) =>
  issues.openIssue({ title, body, labels: ["post-mortem"] });

/** The command's caller and where it came from. */
export interface Invocation {
  config: Config;
  actor: string;
  issue: number;
  /** Link to the comment thread, for timelines. */
  issueUrl: string;
}

export interface Target {
  name: string;
  env: ClusterEnvironment;
  cluster: Cluster;
}

/** An environment of the config by name, or the outcome naming the known ones. */
export function findEnvironment(config: Config, env: string): EnvironmentConfig | Outcome {
  const environments = config.environments;
  const envConfig = Object.hasOwn(environments, env) ? environments[env] : undefined;
  if (envConfig) return envConfig;
  const known = Object.keys(environments);
  return outcome(
    "not-found",
    `There is no environment \`${env}\` in this repository's release-pilot config${known.length ? ` (known: ${known.map((k) => `\`${k}\``).join(", ")})` : ""}.`,
  );
}

/**
 * The environment's config and cluster, or the outcome explaining why there is none. `command`
 * names what was asked, for the refusal on an environment a workflow deploys.
 */
export function resolveTarget(
  deps: Pick<DeployDeps, "clusters">,
  config: Config,
  env: string,
  command = "this command",
): Target | Outcome {
  const envConfig = findEnvironment(config, env);
  if (isOutcome(envConfig)) return envConfig;
  if (envConfig.driver || envConfig.cluster === undefined || envConfig.services === undefined)
    return outcome(
      "not-enabled",
      `\`${env}\` is deployed by the workflow \`${envConfig.driver?.workflow ?? "?"}\`, whose driver does not support ${command}: it takes \`/deploy\`, \`/rollback\`, \`/lock\`, \`/unlock\` and \`/status\`.`,
    );
  const cluster = deps.clusters.get(envConfig.cluster);
  if (!cluster)
    return outcome(
      "bad-config",
      `Environment \`${env}\` names the cluster \`${envConfig.cluster}\`, which this release-pilot installation has no connection for. Its operator sets one up with \`KUBECONFIG_${envConfig.cluster.toUpperCase().replace(/-/g, "_")}\`.`,
    );
  const refused = deps.clusters.refusal?.(envConfig.cluster, envConfig.namespace);
  if (refused) return outcome("refused-permission", refused);
  return {
    name: env,
    env: { ...envConfig, cluster: envConfig.cluster, services: envConfig.services },
    cluster,
  };
}

export const isOutcome = <T extends object>(value: T | Outcome): value is Outcome => "reason" in value;

/** `app=bankchurn` from a Deployment's selector. */
export const selectorOf = (matchLabels: Record<string, string> | undefined): string =>
  Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** A GitHub error as a reply says it: the status GitHub answered (Octokit's RequestError carries it). */
export const describeGitHubError = (e: unknown): string => {
  const status = typeof e === "object" && e !== null && "status" in e ? e.status : undefined;
  return typeof status === "number"
    ? `GitHub answered ${status}`
    : e instanceof Error
      ? e.message
      : String(e);
};
