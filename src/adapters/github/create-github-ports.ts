/**
 * The GitHub ports of one repository, built from one installation Octokit: one adapter per
 * capability, and the small ports composed from them. Nothing here calls GitHub until a port
 * is used.
 */
import type { RepoRef } from "../../domain/repo-ref.js";
import type { GitHubPorts } from "../../ports/github-ports.js";
import { AppIdentityCache } from "./app-identity.js";
import { createChecklistCheckRuns } from "./checklist-check-runs.js";
import { GitHubDeploymentRecords, type RecordTrust } from "./github-deployment-records.js";
import { GitHubGitData } from "./github-git-data.js";
import { issueConversation } from "./issue-conversation.js";
import { GitHubIssues } from "./github-issues.js";
import type { Octokit } from "./octokit.js";
import { GitHubPulls } from "./github-pulls.js";
import { GitHubRefLocks } from "./ref-locks.js";
import { createReleaseTags } from "./release-tags.js";
import { GitHubReleases } from "./github-releases.js";
import { createSmokeTests, type SmokeTestOptions } from "./smoke-tests.js";
import { GitHubWorkflows } from "./github-workflows.js";

export interface GitHubPortsOptions {
  /** Which Deployment records to believe (default: this App's, asked once with `GET /app`; none reported). */
  trust?: RecordTrust;
  /** How the smoke tests wait between polls (default: a timer, every 5 s). */
  smoke?: SmokeTestOptions;
  /** This App's id, to tell its check runs from another app's of the same name. */
  appId?: number;
}

/** Believe only this App's records (its identity asked once per bundle); skipped ones go unreported. */
const ownRecordsOnly = (octokit: Octokit): RecordTrust => {
  const identity = new AppIdentityCache();
  return { self: () => identity.of(octokit), ignored: () => undefined };
};

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const createGitHubPorts = (
  octokit: Octokit,
  repo: RepoRef,
  repoUrl = `https://github.com/${repo.owner}/${repo.repo}`,
  options: GitHubPortsOptions = {},
): GitHubPorts => {
  const git = new GitHubGitData(octokit, repo, repoUrl);
  const issues = new GitHubIssues(octokit, repo);
  const workflows = new GitHubWorkflows(octokit, repo);
  const trust = options.trust ?? ownRecordsOnly(octokit);
  return {
    git,
    pulls: new GitHubPulls(octokit, repo),
    releases: new GitHubReleases(octokit, repo),
    issues,
    workflows,
    deployments: new GitHubDeploymentRecords(octokit, repo, trust),
    checkRuns: createChecklistCheckRuns(
      octokit,
      repo,
      options.appId === undefined ? {} : { appId: options.appId },
    ),
    locks: new GitHubRefLocks(octokit, repo),
    releaseTags: (tagPrefix) => createReleaseTags(git, tagPrefix),
    smokeTests: createSmokeTests(workflows, options.smoke ?? { sleep: timer }),
    conversation: (issueNumber) => issueConversation(issues, issueNumber),
  };
};
