/**
 * What the start's resume pass reads of one repository before it decides there is anything to
 * resume: its files (the config), the deploy records per environment, the pull requests into the
 * main branch and a comment marker. Only reads; an adapter of it builds none of the repository's
 * other ports, so a start with nothing to resume loads none of them.
 */
import type { ReadRepoFile } from "./config-files.js";
import type { DeploymentRecords } from "./deployments.js";
import type { Issues } from "./issues.js";
import type { Pulls } from "./pulls.js";

export interface ResumeSurvey {
  readFile: ReadRepoFile;
  /** This App's Deployment records of one environment, newest first (the deployments capability). */
  records: Pick<DeploymentRecords, "list">;
  pulls: Pick<Pulls, "listRecentlyMerged" | "listOpen">;
  issues: Pick<Issues, "findComment">;
}
