/** Bounded retries with exponential backoff for errors that are safe to repeat, by p-retry. */
import pRetry from "p-retry";
import { ClusterError } from "../../ports/cluster.js";

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First delay; doubles each attempt (no jitter: one client, one API server). */
  backoffMs: number;
}

export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  retryable: (e: ClusterError) => boolean,
  toError: (e: unknown) => ClusterError,
): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await attempt();
      } catch (raw) {
        // p-retry sees only ClusterErrors: its own rule (a TypeError is never retried unless it
        // looks like a network error) would otherwise decide before `retryable` does.
        throw toError(raw);
      }
    },
    {
      retries: policy.retries,
      minTimeout: policy.backoffMs,
      factor: 2,
      randomize: false,
      shouldRetry: ({ error }) => error instanceof ClusterError && retryable(error),
    },
  );
}

/** 5xx and "unavailable" are transient; a 409 is transient only when the write has no precondition. */
export const isTransient = (e: ClusterError, conflictRetryable: boolean): boolean =>
  e.kind === "unavailable" ||
  (e.kind === "timeout" && e.status !== undefined) ||
  (e.kind === "conflict" && conflictRetryable);
