/**
 * Environment locks people can see: one record per environment, taken atomically (the second
 * taker learns who holds it). Also used to claim a rollout watch so two app instances never both
 * watch one.
 */
import type { EnvironmentLock } from "../domain/deploy/lock-message.js";
import type { FoundClaim, WatchClaim } from "../domain/deploy/watch-claim.js";

export type AcquireResult =
  /** `at`: the commit a bare lock ref was pointed at (when taken `onto` one). */
  { kind: "acquired"; at?: string } | { kind: "held"; lock: EnvironmentLock | undefined };

export interface Locks {
  /**
   * Take the lock. With `onto` (a tag, branch or SHA) it is a bare ref onto that commit, and who
   * holds it is recorded elsewhere (the Deployment's payload, `lock.at`); without it the lock
   * carries `lock` itself.
   */
  acquire(lock: EnvironmentLock, options?: { onto?: string }): Promise<AcquireResult>;
  /** The current lock of an environment, if any (a bare ref's holder is empty: only `at` is known). */
  get(env: string): Promise<EnvironmentLock | undefined>;
  /** Remove the lock; true when there was one. */
  release(env: string): Promise<boolean>;
  list(): Promise<EnvironmentLock[]>;
  /**
   * Claim a named piece of work once across app instances: the claim's version, or undefined
   * when someone already holds it.
   */
  claim(claim: WatchClaim): Promise<string | undefined>;
  /**
   * Replace the claim found at `version` (expired, or this instance's own) in one atomic step:
   * the new version, or undefined when someone else moved or removed it first.
   */
  takeOver(version: string, claim: WatchClaim): Promise<string | undefined>;
  unclaim(key: string): Promise<void>;
  /** The claim on `key`, if any. */
  getClaim(key: string): Promise<StoredClaim | undefined>;
  /** Only the version of the claim on `key` (one cheap read), undefined when there is none. */
  claimVersion(key: string): Promise<string | undefined>;
}

/** A claim as stored: what it says, and the version a take-over replaces. */
export interface StoredClaim extends FoundClaim {
  version: string;
}
