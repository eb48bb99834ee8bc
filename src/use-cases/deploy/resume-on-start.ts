/**
 * On start: for every installed repository whose config has environments, resume the deploys a
 * previous run of the app left queued or in progress (see resume-deploys.ts). Runs as a job, so
 * the server starts at once; a failing repository is logged and the others still resume.
 */
import type { InstalledRepo } from "../../adapters/github/deploy-installations.js";
import { createRepoFileReader, FileCache } from "../../adapters/github/read-repo-file.js";
import { loadConfig } from "../../config/load-config.js";
import type { DeployLog } from "./deploy-deps.js";
import { type DeployAppDeps, deployDepsForRepo } from "./deploy-runners.js";
import { resumeDeploys } from "./resume-deploys.js";
import { resumeCanaryAnalyses } from "./start-canary-analysis.js";

export async function resumeOnStart(
  repos: readonly InstalledRepo[],
  app: DeployAppDeps,
  log: DeployLog,
): Promise<number[]> {
  const resumed: number[] = [];
  const cache = new FileCache();
  for (const { octokit, repo, repoUrl } of repos) {
    try {
      // The default branch's config (no ref): environments and namespaces are policy.
      const loaded = await loadConfig(createRepoFileReader(octokit, cache), repo);
      if (!loaded.ok || Object.keys(loaded.config.environments).length === 0) continue;
      const config = loaded.config;
      const ids = await resumeDeploys(
        (issueNumber) =>
          deployDepsForRepo(app, { octokit, repo, issueNumber, tagPrefix: config.release.tagPrefix, log }),
        config,
        repoUrl,
      );
      if (ids.length) log.info({ repo, deployments: ids }, "resumed interrupted deploys");
      resumed.push(...ids);
      const analyses = await resumeCanaryAnalyses(
        (issueNumber) =>
          deployDepsForRepo(app, { octokit, repo, issueNumber, tagPrefix: config.release.tagPrefix, log }),
        config,
        repoUrl,
      );
      if (analyses.length) log.info({ repo, deployments: analyses }, "resumed canary analyses");
      resumed.push(...analyses);
    } catch (err) {
      log.error({ err, repo }, "could not resume the deploys of a repository");
    }
  }
  return resumed;
}
