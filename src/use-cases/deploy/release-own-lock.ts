/** Taking and giving back an environment's lock around a deploy, without freeing someone else's. */
import type { EnvironmentLock } from "../../domain/deploy/lock-message.js";
import type { Locks } from "../../ports/locks.js";

/**
 * A bare lock ref is the same lock while it points at the same commit (ref-locks.ts); a lock
 * commit while it says the same holder, time and kind.
 */
const sameLock = (a: EnvironmentLock, b: EnvironmentLock): boolean =>
  a.at !== undefined || b.at !== undefined
    ? a.at === b.at
    : a.holder === b.holder && a.since === b.since && a.kind === b.kind;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Release `lock` only if it is still the one in place (an /unlock + /lock in between is kept).
 * Retried after the client's own retries gave up (a lock left behind blocks the environment
 * until the next command finds it stale).
 */
export async function releaseOwnLock(
  locks: Locks,
  lock: EnvironmentLock,
  retry: { sleep?: (ms: number) => Promise<void>; delaysMs?: readonly number[] } = {},
): Promise<void> {
  const { sleep: wait = sleep, delaysMs = [1000, 4000] } = retry;
  for (let attempt = 0; ; attempt++) {
    try {
      const current = await locks.get(lock.env);
      if (current && sameLock(current, lock)) await locks.release(lock.env);
      return;
    } catch (e) {
      const delay = delaysMs[attempt];
      if (delay === undefined) throw e;
      await wait(delay);
    }
  }
}
