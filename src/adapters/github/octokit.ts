import type { ProbotOctokit } from "probot";

/** The authenticated Octokit an adapter is handed (an installation client in the app). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The repository an adapter acts on. */
export interface RepoRef {
  owner: string;
  repo: string;
}
