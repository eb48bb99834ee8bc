/**
 * The start's resume survey of one repository over an installation's Octokit: the config file
 * through the pass's file cache, this App's Deployment records, the pull-request lists and one
 * comment lookup. Built from the same adapters as the repository's full ports (so the survey and
 * the resume read GitHub alike), but without the rest of them (create-github-ports.ts): a start
 * with nothing to resume loads no other adapter.
 */
import type { RepoRef } from "../../domain/repo-ref.js";
import type { ResumeSurvey } from "../../ports/resume-survey.js";
import { GitHubDeploymentRecords, type RecordTrust } from "./github-deployment-records.js";
import { GitHubIssues } from "./github-issues.js";
import { GitHubPulls } from "./github-pulls.js";
import type { Octokit } from "./octokit.js";
import { createRepoFileReader, type FileCache } from "./read-repo-file.js";

export const createResumeSurvey = (
  octokit: Octokit,
  repo: RepoRef,
  options: { fileCache: FileCache; trust: RecordTrust },
): ResumeSurvey => ({
  readFile: createRepoFileReader(octokit, options.fileCache),
  records: new GitHubDeploymentRecords(octokit, repo, options.trust),
  pulls: new GitHubPulls(octokit, repo),
  issues: new GitHubIssues(octokit, repo),
});
