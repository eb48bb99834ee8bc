/**
 * Environment locks people can see: one record per environment, taken atomically (the second
 * taker learns who holds it). Also used to claim a rollout watch so two app instances never both
 * watch one.
 */
import type { EnvironmentLock } from "../domain/deploy/lock-message.js";
import type { FoundClaim, WatchClaim } from "../domain/deploy/watch-claim.js";

export type AcquireResult = { kind: "acquired" } | { kind: "held"; lock: EnvironmentLock | undefined };

export interface Locks {
  acquire(lock: EnvironmentLock): Promise<AcquireResult>;
  /** The current lock of an environment, if any. */
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
