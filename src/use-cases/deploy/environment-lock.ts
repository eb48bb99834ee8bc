/** Taking and giving back an environment's lock around a deploy, without freeing someone else's. */
import type { EnvironmentLock } from "../../domain/deploy/environment-lock.js";
import type { Locks } from "../../ports/locks.js";

const sameLock = (a: EnvironmentLock, b: EnvironmentLock): boolean =>
  a.holder === b.holder && a.since === b.since && a.kind === b.kind;

/** Release `lock` only if it is still the one in place (an /unlock + /lock in between is kept). */
export async function releaseOwnLock(locks: Locks, lock: EnvironmentLock): Promise<void> {
  const current = await locks.get(lock.env);
  if (current && sameLock(current, lock)) await locks.release(lock.env);
}
