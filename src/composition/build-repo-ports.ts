/**
 * The one function that binds a repository's ports to an installation's Octokit: every GitHub,
 * MLflow and Prometheus adapter a handler or command needs is constructed here, per event (or,
 * on start, per installed repository). Handlers and use-cases only see `RepoPorts`.
 */
import { createChecklistSource } from "../adapters/github/checklist-source.js";
import { createGitHubPorts } from "../adapters/github/create-github-ports.js";
import type { Octokit } from "../adapters/github/octokit.js";
import { getPull } from "../adapters/github/pull-reads.js";
import { createRepoFileReader, type FileCache } from "../adapters/github/read-repo-file.js";
import { mlflowRegistryFor } from "../adapters/mlflow/mlflow-registry-for.js";
import { createPrometheusQueries } from "../adapters/prometheus/prometheus-queries.js";
import { endpointFor } from "../config/operator-settings.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { CanaryMetrics } from "../ports/canary-metrics.js";
import type { DeployDeps, DeployLog } from "../use-cases/deploy/deploy-deps.js";
import { allowListedClusters } from "../use-cases/deploy/namespace-allow-list.js";
import type { RepoPorts } from "../use-cases/repo-ports.js";
import { recordTrust } from "./record-trust.js";
import type { AppServices } from "./services.js";

export interface RepoBinding {
  /** The installation's Octokit (the event's, or one the app authenticated on start). */
  octokit: Octokit;
  repo: RepoRef;
  /** The repository's web address, as GitHub gave it. */
  repoUrl: string;
  /** The files already read; default: the app's cache. */
  fileCache?: FileCache;
}

/** The operator's Prometheus for a repository (the first entry serving it), with its token; else none. */
const canaryMetricsFor = (app: AppServices, repo: RepoRef): CanaryMetrics | undefined => {
  const endpoint = endpointFor(app.operator.prometheus, repo);
  if (!endpoint) return undefined;
  return createPrometheusQueries({
    baseUrl: endpoint.url,
    token: endpoint.tokenEnv ? app.secrets[endpoint.tokenEnv] : undefined,
  });
};

/**
 * The GitHub ports of one repository over the app-wide services: the App's identity asked once per
 * app (only the records this App created are read back; a forged one is skipped, and logged where
 * a logger is given), the app's sleep for smoke-test polls, the App id for its own check runs.
 */
const gitHubPortsOf = (app: AppServices, { octokit, repo, repoUrl }: RepoBinding, log?: DeployLog) =>
  createGitHubPorts(octokit, repo, repoUrl, {
    trust: recordTrust(app, octokit, log),
    smoke: { sleep: app.sleep, ...(app.smokePollMs ? { pollMs: app.smokePollMs } : {}) },
    ...(app.appId ? { appId: app.appId } : {}),
  });

/** The deploy ports bound to one repository and the issue where replies go. */
const deployPorts = (
  app: AppServices,
  binding: RepoBinding,
  where: { issueNumber: number; tagPrefix: string; log: DeployLog },
): DeployDeps => {
  const github = gitHubPortsOf(app, binding, where.log);
  const conversation = github.conversation(where.issueNumber);
  const canaryMetrics = canaryMetricsFor(app, binding.repo);
  return {
    // Every cluster call of the deploy commands goes through the operator's namespace allow-list.
    clusters: allowListedClusters(app.clusters, app.operator),
    jobs: app.jobs,
    clock: app.clock,
    metrics: app.metrics,
    probe: app.probe,
    sleep: app.sleep,
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
    instance: app.instance.instance,
    claimMarginSeconds: app.instance.claimMarginSeconds,
    claimRecheckMs: app.instance.claimRecheckMs,
    watches: app.watches,
    ...(canaryMetrics ? { canaryMetrics } : {}),
    ...(where.issueNumber > 0 ? { progress: conversation } : {}),
  };
};

/** Every port of one repository, bound to `binding`'s installation. */
export const repoPorts = (app: AppServices, binding: RepoBinding): RepoPorts => {
  const { octokit, repo, repoUrl } = binding;
  // Where MLflow is and with what token: the operator's settings for this repository, never its config.
  const models = () => mlflowRegistryFor(app.operator, repo, app.secrets);
  const github = gitHubPortsOf(app, binding);
  return {
    repo,
    repoUrl,
    readFile: createRepoFileReader(octokit, binding.fileCache ?? app.fileCache),
    threads: github.issues,
    getPull: (number) => getPull(octokit, repo, number),
    github,
    checklist: () => ({
      source: createChecklistSource(octokit, repo, { artifactCache: app.artifactCache }),
      checkRuns: github.checkRuns,
      git: github.git,
      pulls: github.pulls,
      releases: github.releases,
      memory: app.checklistMemory.of(`${repo.owner}/${repo.repo}`),
      later: (name, fn) => app.jobs.run(name, fn),
      models: models(),
      // Only the version files' directories are listed (no file read): what a repository's data
      // adds is not transferred, and a bound left unlisted is never a silently truncated tree.
      listPaths: async (sha, reach) => (await github.git.snapshotTree(sha, { reach, pick: () => [] })).list(),
    }),
    models,
    deploy: (where) => deployPorts(app, binding, where),
  };
};
