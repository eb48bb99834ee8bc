/**
 * On start: for every installed repository whose config has environments, resume the deploys a
 * previous run of the app left queued or in progress (src/composition/resume-deploys.ts finds the
 * repositories and binds their ports). Runs as a job, so the server starts at once; a failing
 * repository is logged and the others still resume.
 */
import { loadConfig } from "../../config/load-config.js";
import type { RepoPorts } from "../repo-ports.js";
import type { DeployLog } from "./deploy-deps.js";
import { resumeDeploys } from "./resume-deploys.js";
import { resumeCanaryAnalyses } from "./start-canary-analysis.js";

export async function resumeOnStart(repos: readonly RepoPorts[], log: DeployLog): Promise<number[]> {
  const resumed: number[] = [];
  for (const ports of repos) {
    const { repo, repoUrl } = ports;
    try {
      // The default branch's config (no ref): environments and namespaces are policy.
      const loaded = await loadConfig(ports.readFile, repo);
      if (!loaded.ok || Object.keys(loaded.config.environments).length === 0) continue;
      const config = loaded.config;
      const deployDeps = (issueNumber: number) =>
        ports.deploy({ issueNumber, tagPrefix: config.release.tagPrefix, log });
      const ids = await resumeDeploys(deployDeps, config, repoUrl);
      if (ids.length) log.info({ repo, deployments: ids }, "resumed interrupted deploys");
      resumed.push(...ids);
      const analyses = await resumeCanaryAnalyses(deployDeps, config, repoUrl);
      if (analyses.length) log.info({ repo, deployments: analyses }, "resumed canary analyses");
      resumed.push(...analyses);
    } catch (err) {
      log.error({ err, repo }, "could not resume the deploys of a repository");
    }
  }
  return resumed;
}
