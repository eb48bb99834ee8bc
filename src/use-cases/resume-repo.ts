/**
 * One repository as the start's resume pass sees it: its config, read and parsed once for the
 * whole pass, the survey's light reads (src/ports/resume-survey.ts), and its full ports, built
 * (and their adapters loaded) only when a resume finds something to do.
 */
import { loadConfig } from "../config/load-config.js";
import type { Config } from "../config/schema.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { ResumeSurvey } from "../ports/resume-survey.js";
import type { DeployLog } from "./deploy/deploy-deps.js";
import type { RepoPorts } from "./repo-ports.js";

export interface ResumeRepo {
  repo: RepoRef;
  /** The repository's web address (`https://github.com/owner/repo`). */
  repoUrl: string;
  /** The default branch's config (no ref): what is resumed and how is policy. */
  config: Config;
  survey: ResumeSurvey;
  /** Every port of the repository; built the first time a resume needs them, then the same. */
  ports(): Promise<RepoPorts>;
}

/** A repository before its config is read. */
export type SurveyedRepo = Omit<ResumeRepo, "config">;

/**
 * Runs `resume` for each repository whose config reads and parses, one repository at a time,
 * with that config: one read and one parse per repository for every resume of the pass. A
 * repository without a valid config has nothing to resume; one whose config cannot be read (or
 * whose `resume` throws) is logged, and the others go on.
 */
export async function forEachConfiguredRepo(
  repos: readonly SurveyedRepo[],
  log: DeployLog,
  resume: (repo: ResumeRepo) => Promise<void>,
): Promise<void> {
  for (const surveyed of repos) {
    const { repo } = surveyed;
    try {
      const loaded = await loadConfig(surveyed.survey.readFile, repo);
      if (!loaded.ok) continue;
      await resume({ ...surveyed, config: loaded.config });
    } catch (err) {
      log.error({ err, repo }, "could not resume a repository");
    }
  }
}
