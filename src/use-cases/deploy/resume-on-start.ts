/**
 * On start: the deploys, rollbacks and canary analyses of one repository that a previous run of
 * the app left queued or in progress are driven again (src/composition/resume-installed-repos.ts
 * finds the repositories and reads each one's config once). A survey comes first, through the
 * light reads of src/ports/resume-survey.ts: this App's Deployment records of each environment the
 * app has a cluster for (and of each canary environment with an analysis, when the operator gives
 * the repository a Prometheus). Only when one of them is in flight are the deploy use-cases and
 * the repository's full ports loaded, and they are handed the lists the survey read, so nothing is
 * listed twice.
 *
 * Why the Deployment records and not the environment lock refs (one `matching-refs` call): a
 * deploy or rollback in flight does not always hold its lock. `/unlock` frees a running deploy's
 * lock (lock-environment.ts); a run whose final status GitHub refused releases its lock and leaves
 * the record in progress for the next start to conclude (drive-deploy.ts, told-conclusion.ts); a
 * lock cleared as stale after its holder's watch claim expired (stale-lock.ts) leaves that record
 * in flight; and a canary analysis takes no lock at all. The record in flight is what the resume
 * drives, so it is what the survey looks for.
 */
import { type DeploymentRecord, type DeploymentRecords, isInFlight } from "../../ports/deployments.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";
import type { ResumeSurvey } from "../../ports/resume-survey.js";
import type { RepoPorts } from "../repo-ports.js";
import type { ResumeRepo } from "../resume-repo.js";
import type { DeployLog } from "./deploy-deps.js";
import { analysisEnvironment, RESUME_LIST_LIMITS } from "./resume-lists.js";
import { inFlightRecord } from "./watch-claims.js";

export type DeployResumeRepo = Pick<ResumeRepo, "repo" | "repoUrl" | "config"> & {
  survey: Pick<ResumeSurvey, "records">;
  ports(): Promise<Pick<RepoPorts, "deploy">>;
};

export interface DeployResumeDeps {
  log: DeployLog;
  /** The operator's clusters: an environment whose cluster the app does not have is not resumed. */
  clusters: Pick<ClusterProvider, "get">;
  /** Whether the operator gives this repository a Prometheus (a canary analysis needs one). */
  canaryMetrics: boolean;
}

/** A list the survey read, by what was asked (environment and limit). */
const listKey = (environment: string | undefined, limit: number) => `${environment ?? ""}\n${limit}`;

/**
 * The records the resumes would list, read once: undefined when none is in flight (what
 * resumeDeploys and resumeCanaryAnalyses would drive: a deploy's or rollback's record with its
 * payload, a canary analysis' record in progress).
 */
async function survey(
  target: DeployResumeRepo,
  deps: DeployResumeDeps,
): Promise<Map<string, DeploymentRecord[]> | undefined> {
  const listed = new Map<string, DeploymentRecord[]>();
  let inFlight = false;
  const list = async (environment: string, limit: number) => {
    const records = await target.survey.records.list({ environment, limit });
    listed.set(listKey(environment, limit), records);
    return records;
  };
  for (const [env, envConfig] of Object.entries(target.config.environments)) {
    if (deps.clusters.get(envConfig.cluster)) {
      const records = await list(env, RESUME_LIST_LIMITS.deploys);
      if (records.some((r) => r.payload && r.payload.action !== "canary" && inFlightRecord(r)))
        inFlight = true;
    }
    if (envConfig.canary.analysis && deps.canaryMetrics) {
      const records = await list(analysisEnvironment(env), RESUME_LIST_LIMITS.analyses);
      if (records.some((r) => r.payload?.action === "canary" && isInFlight(r.state))) inFlight = true;
    }
  }
  return inFlight ? listed : undefined;
}

/** `records`, whose first list of each surveyed environment is the survey's (then GitHub again). */
const surveyedFirst = (
  records: DeploymentRecords,
  listed: Map<string, DeploymentRecord[]>,
): DeploymentRecords => ({
  create: (d) => records.create(d),
  setStatus: (id, state, options) => records.setStatus(id, state, options),
  get: (id) => records.get(id),
  list: async (options) => {
    const key = listKey(options.environment, options.limit);
    const found = listed.get(key);
    if (!found) return records.list(options);
    listed.delete(key);
    return found;
  },
});

/** The ids of the deploys, rollbacks and canary analyses driven again. */
export async function resumeOnStart(target: DeployResumeRepo, deps: DeployResumeDeps): Promise<number[]> {
  const { repo, repoUrl, config } = target;
  const { log } = deps;
  const resumed: number[] = [];
  if (Object.keys(config.environments).length === 0) return resumed;
  let listed: Map<string, DeploymentRecord[]> | undefined;
  try {
    listed = await survey(target, deps);
    if (!listed) return resumed;
    const surveyed = listed;
    // One import after another: their module graphs overlap, and one link at a time is linked once.
    const ports = await target.ports();
    const { resumeDeploys } = await import("./resume-deploys.js");
    const { resumeCanaryAnalyses } = await import("./start-canary-analysis.js");
    const deployDeps = (issueNumber: number) => {
      const portsOf = ports.deploy({ issueNumber, tagPrefix: config.release.tagPrefix, log });
      return { ...portsOf, records: surveyedFirst(portsOf.records, surveyed) };
    };
    const ids = await resumeDeploys(deployDeps, config, repoUrl);
    if (ids.length) log.info({ repo, deployments: ids }, "resumed interrupted deploys");
    resumed.push(...ids);
    const analyses = await resumeCanaryAnalyses(deployDeps, config, repoUrl);
    if (analyses.length) log.info({ repo, deployments: analyses }, "resumed canary analyses");
    resumed.push(...analyses);
  } catch (err) {
    log.error({ err, repo }, "could not resume the deploys of a repository");
  } finally {
    // A list the resumes did not ask for is not served later: every later read goes to GitHub.
    listed?.clear();
  }
  return resumed;
}
