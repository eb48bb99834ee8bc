import type { Logger } from "pino";
import type { Probot } from "probot";
import type { RepoRef } from "../domain/repo-ref.js";
import type { AppServices } from "./services.js";

/**
 * What the resume needs, imported when it runs, after the server listens, so the first
 * `/healthz` does not wait for it (src/composition/resume-modules.ts).
 */
const resumeModules = () => import("./resume-modules.js");

/**
 * Rollouts that were being watched when the app last stopped are picked up again (the GitHub
 * Deployments still in progress are the record; a claim ref keeps instances apart). Every
 * installed repository (or only `only`) gets its ports bound to its installation, with the same
 * instance name, claim timing and held claims as the webhooks' deploys.
 */
export const resumeInstalledRepos = async (
  probot: Probot,
  services: AppServices,
  log: Pick<Logger, "info" | "error">,
  only?: readonly RepoRef[],
): Promise<number[]> => {
  const { listInstalledRepos, FileCache, resumeOnStart, resumeShipments, resumeChecklists, repoPorts } =
    await resumeModules();
  const repos = await listInstalledRepos(probot, only);
  // A file cache of its own: the pass reads each repository's config once and leaves the
  // webhooks' cache alone.
  const fileCache = new FileCache();
  const ports = repos.map((installed) => repoPorts(services, { ...installed, fileCache }));
  const resumed = await resumeOnStart(ports, log);
  // Half-shipped releases too: one list call per repository (src/use-cases/ship/resume-shipments.ts).
  await resumeShipments(ports, { clock: services.clock, log });
  // Open release PRs' checklists, which a stop mid-evaluation may have left half written.
  await resumeChecklists(ports, { log });
  return resumed;
};

/**
 * Resumes in the background; both ways of starting the app (`npm start`, `probot run`) call it
 * once the server listens. It starts on the next turn of the event loop (`setImmediate`), so a
 * `/healthz` already waiting is answered before the resume's modules are loaded.
 */
export const resumeDeploys = (probot: Probot, services: AppServices, log: Logger): void => {
  services.jobs.run("resume deploys", async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await resumeInstalledRepos(probot, services, log);
  });
};
