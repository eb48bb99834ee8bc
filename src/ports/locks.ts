/**
 * Environment locks people can see: one record per environment, taken atomically (the second
 * taker learns who holds it). Also used to claim a rollout watch so two app instances never both
 * watch one.
 */
import type { EnvironmentLock } from "../domain/deploy/environment-lock.js";

export type AcquireResult = { kind: "acquired" } | { kind: "held"; lock: EnvironmentLock | undefined };

export interface Locks {
  acquire(lock: EnvironmentLock): Promise<AcquireResult>;
  /** The current lock of an environment, if any. */
  get(env: string): Promise<EnvironmentLock | undefined>;
  /** Remove the lock; true when there was one. */
  release(env: string): Promise<boolean>;
  list(): Promise<EnvironmentLock[]>;
  /** Claim a named piece of work once across app instances; false when already claimed. */
  claim(key: string, holder: string): Promise<boolean>;
  unclaim(key: string): Promise<void>;
  /** Who holds a claim, if anyone (a restarted instance takes back its own claims). */
  claimedBy(key: string): Promise<string | undefined>;
}
