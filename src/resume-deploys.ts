import type { Logger } from "pino";
import type { Probot } from "probot";
import { listInstalledRepos } from "./adapters/github/deploy-installations.js";
import { httpProbe } from "./adapters/jobs/http-probe.js";
import { defaultOperatorSettings } from "./config/operator-settings.js";
import type { AppDeps } from "./handlers/app-deps.js";
import { resumeOnStart } from "./use-cases/deploy/resume-on-start.js";

/**
 * Rollouts that were being watched when the app last stopped are picked up again (the GitHub
 * Deployments still in progress are the record; a claim ref keeps instances apart). Runs as a
 * background job; both ways of starting the app (`npm start`, `probot run`) call it once.
 */
export const resumeDeploys = (probot: Probot, deps: AppDeps, log: Logger): void => {
  if (!deps.jobs || !deps.clusters) return;
  const { jobs, clusters } = deps;
  // The same instance name, claim timing and held claims as the webhooks' deploys.
  const deploy = deps.deploy ?? {
    clusters,
    jobs,
    clock: deps.clock,
    metrics: deps.metrics,
    probe: httpProbe((deps.operator ?? defaultOperatorSettings()).outbound),
  };
  jobs.run("resume deploys", async () => {
    const repos = await listInstalledRepos(probot);
    await resumeOnStart(repos, deploy, log);
  });
};
