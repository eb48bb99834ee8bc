import type { ProbotOctokit } from "probot";

/** The authenticated Octokit an adapter is handed (an installation client in the app). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The HTTP status of a failed Octokit request (a RequestError), or undefined for other errors. */
export const httpStatusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
