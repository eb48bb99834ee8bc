/** Bounded retries with exponential backoff for errors that are safe to repeat. */
import type { ClusterError } from "../../ports/cluster.js";

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First delay; doubles each attempt. */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  retryable: (e: ClusterError) => boolean,
  toError: (e: unknown) => ClusterError,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (raw) {
      const e = toError(raw);
      if (i >= policy.retries || !retryable(e)) throw e;
      await sleep(policy.backoffMs * 2 ** i);
    }
  }
}

/** 5xx and "unavailable" are transient; a 409 is transient only when the write has no precondition. */
export const isTransient = (e: ClusterError, conflictRetryable: boolean): boolean =>
  e.kind === "unavailable" ||
  (e.kind === "timeout" && e.status !== undefined) ||
  (e.kind === "conflict" && conflictRetryable);
