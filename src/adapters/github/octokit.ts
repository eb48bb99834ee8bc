import type { ProbotOctokit } from "probot";

/** The authenticated Octokit an adapter is handed (an installation client in the app). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The HTTP status of a failed Octokit request (a RequestError), or undefined for other errors. */
export const httpStatusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;

/** Runs a read that answers 404 for "absent": its result, or undefined. */
export const orAbsent = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
};

/** GitHub's message of a failed request (the body's `message`, else the error's own). */
export const githubMessageOf = (error: unknown): string => {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const fromBody = typeof data === "object" && data !== null && "message" in data ? data.message : undefined;
  return typeof fromBody === "string" ? fromBody : error instanceof Error ? error.message : String(error);
};
