/**
 * Every GitHub port bound to one repository, one field per capability plus the small ports
 * composed from them. A use-case's deps take fields of it (or the whole bundle) directly.
 */
import type { CheckRunWriter } from "./checklist.js";
import type { DeploymentRecords, ReleaseTags, SmokeTests, Thread } from "./deployments.js";
import type { GitData } from "./git-data.js";
import type { Issues } from "./issues.js";
import type { Locks } from "./locks.js";
import type { ProgressComments } from "./progress-comments.js";
import type { Pulls } from "./pulls.js";
import type { Releases } from "./releases.js";
import type { Workflows } from "./workflows.js";

export interface GitHubPorts {
  /** Refs and commits: tags, branches, trees, files, compare, merges. */
  git: GitData;
  pulls: Pulls;
  releases: Releases;
  /** Issues and comments, reactions, labels, and collaborators' permissions. */
  issues: Issues;
  workflows: Workflows;
  /** Deployment records and their statuses (only this App's are read back). */
  deployments: DeploymentRecords;
  /** This App's check runs. */
  checkRuns: CheckRunWriter;
  /** Environment locks and watch claims as git refs. */
  locks: Locks;
  /** Released versions by their tags (over `git`). */
  releaseTags(tagPrefix: string): ReleaseTags;
  /** A workflow dispatched and waited for (over `workflows`). */
  smokeTests: SmokeTests;
  /** The conversation on one issue (over `issues`). */
  conversation(issueNumber: number): Thread & ProgressComments;
}
