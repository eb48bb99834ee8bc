import type { Logger } from "pino";
import type { Probot } from "probot";
import type { RepoRef } from "../domain/repo-ref.js";
import type { RepoPorts } from "../use-cases/repo-ports.js";
import { recordTrust } from "./record-trust.js";
import type { AppServices } from "./services.js";

/**
 * What the resume needs to look, imported when it runs, after the server listens, so the first
 * `/healthz` does not wait for it (src/composition/resume-modules.ts).
 */
const resumeModules = () => import("./resume-modules.js");

/** The first call runs `make`; every call gets its promise. */
const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

/**
 * What a previous run of the app left unfinished is picked up again: rollouts being watched (the
 * GitHub Deployments still in flight are the record; a claim ref keeps instances apart),
 * half-done shipments and open release PRs' checklists. Every installed repository (or only
 * `only`), one at a time: its config read and parsed once, a survey through light reads, and only
 * where the survey finds work, the repository's ports bound to its installation (with the same
 * instance name, claim timing and held claims as the webhooks' deploys) and the resumes'
 * use-cases loaded. A failing repository is logged and the others go on.
 */
export const resumeInstalledRepos = async (
  probot: Probot,
  services: AppServices,
  log: Pick<Logger, "info" | "error">,
  only?: readonly RepoRef[],
): Promise<number[]> => {
  const {
    listInstalledRepos,
    createResumeSurvey,
    FileCache,
    endpointFor,
    forEachConfiguredRepo,
    resumeOnStart,
    resumeShipments,
    resumeChecklists,
  } = await resumeModules();
  const installed = await listInstalledRepos(probot, only);
  // A file cache of its own: the pass reads each repository's config once and leaves the
  // webhooks' cache alone.
  const fileCache = new FileCache();
  const repos = installed.map((binding) => ({
    repo: binding.repo,
    repoUrl: binding.repoUrl,
    survey: createResumeSurvey(binding.octokit, binding.repo, {
      fileCache,
      // Only this App's records are believed (as in build-repo-ports.ts); a skipped one is logged.
      trust: recordTrust(services, binding.octokit, log),
    }),
    ports: once(async (): Promise<RepoPorts> =>
      (await import("./build-repo-ports.js")).repoPorts(services, { ...binding, fileCache }),
    ),
  }));
  const resumed: number[] = [];
  await forEachConfiguredRepo(repos, log, async (repo) => {
    resumed.push(
      ...(await resumeOnStart(repo, {
        log,
        clusters: services.clusters,
        canaryMetrics: endpointFor(services.operator.prometheus, repo.repo) !== undefined,
      })),
    );
    // Half-shipped releases: one list call (src/use-cases/ship/resume-shipments.ts).
    await resumeShipments(repo, { clock: services.clock, log });
    // Open release PRs' checklists, which a stop mid-evaluation may have left half written.
    await resumeChecklists(repo, { log });
  });
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
