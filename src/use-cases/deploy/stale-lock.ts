/**
 * Locks cannot outlive their holder: taking an environment's lock looks, when it is held, whether
 * the holder is gone (its deploy concluded, or its watch claim expired); such a lock is cleared,
 * the taker told so, and the lock taken again.
 *
 * A deploy's or rollback's lock is a bare ref onto a commit (ref-locks.ts): its holder, reason and
 * time are read from the newest of this App's Deployment records whose payload took a lock at that
 * same commit. Until the run has written its record (a moment after taking the lock) the lock has
 * no known holder: it is refused as "being changed" and never judged stale.
 */
import { decideClaim } from "../../domain/deploy/watch-claim.js";
import { decideLockStaleness, type LockEvidence } from "../../domain/deploy/decide-lock-staleness.js";
import type { EnvironmentLock } from "../../domain/deploy/lock-message.js";
import type { DeploymentRecord } from "../../ports/deployments.js";
import type { AcquireResult } from "../../ports/locks.js";
import type { DeployDeps } from "./deploy-deps.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { claimTtlMs, findClaim, inFlightRecord } from "./watch-claims.js";
import { renderLogin, renderUserText } from "../../domain/user-text.js";

type StaleDeps = Pick<DeployDeps, "locks" | "records" | "clock" | "instance" | "claimMarginSeconds">;

/** Whether the lock is a bare ref whose holder is not known yet (its record is not written). */
export const isUnrecorded = (lock: EnvironmentLock): boolean => lock.at !== undefined && lock.holder === "";

/**
 * A bare lock ref with its holder, reason and time filled in from the record that took it (the
 * newest of `records` whose payload's lock is at the same commit); any other lock as it is.
 */
export function recordedLock(lock: EnvironmentLock, records: readonly DeploymentRecord[]): EnvironmentLock {
  if (!isUnrecorded(lock)) return lock;
  const taker = records.find((r) => r.payload?.lock?.at === lock.at);
  const taken = taker?.payload?.lock;
  return taken ? { ...lock, holder: taken.holder, reason: taken.reason, since: taken.since } : lock;
}

/** The lock of `env` as people read it (a bare ref's holder looked up), if any. */
export async function readLock(
  deps: Pick<DeployDeps, "locks" | "records">,
  env: string,
): Promise<EnvironmentLock | undefined> {
  const lock = await deps.locks.get(env);
  if (!lock || !isUnrecorded(lock)) return lock;
  return recordedLock(lock, await deps.records.list({ environment: env, limit: 10 }));
}

/** Why `lock` is stale, or undefined while its holder may still be working. */
export async function whyStale(
  deps: StaleDeps,
  lock: EnvironmentLock,
  timeoutSeconds: number,
  listed?: readonly DeploymentRecord[],
): Promise<string | undefined> {
  if (lock.kind !== "deploy") return undefined;
  const now = deps.clock.now();
  const ttl = claimTtlMs(deps, timeoutSeconds);
  const records = listed ?? (await deps.records.list({ environment: lock.env, limit: 10 }));
  const held = recordedLock(lock, records);
  // A bare ref whose run has not written its record yet: its holder is starting, not gone.
  if (isUnrecorded(held)) return undefined;
  const evidence = await Promise.all(
    records.map(async (r): Promise<LockEvidence> => {
      const claim = await findClaim(deps, r);
      // Any instance's claim counts here, this one's too: we only ask whether someone drives it.
      const decision = decideClaim(claim, "", now, ttl);
      return {
        id: r.id,
        createdAt: r.createdAt,
        inFlight: inFlightRecord(r),
        state: r.state,
        claim: decision.kind === "held" ? "held" : decision.kind === "expired" ? "expired" : "none",
      };
    }),
  );
  const decided = decideLockStaleness(held, evidence, now, ttl);
  return decided.kind === "stale" ? decided.why : undefined;
}

export type LockTaken =
  | {
      kind: "acquired";
      /** Said to the user: the stale lock that was cleared. */ cleared?: string;
      /** The commit a bare lock ref points at (taken `onto` one). */ at?: string;
    }
  | Extract<AcquireResult, { kind: "held" }>;

/**
 * Take `lock` (a bare ref onto the commit `onto` names, when given); a stale deploy lock in the
 * way is cleared (and named in `cleared`) first.
 */
export async function acquireClearingStale(
  deps: StaleDeps,
  lock: EnvironmentLock,
  timeoutSeconds = 600,
  onto?: string,
): Promise<LockTaken> {
  const options = onto !== undefined ? { onto } : undefined;
  const first = await deps.locks.acquire(lock, options);
  if (first.kind === "acquired" || !first.lock) return first;
  const records =
    isUnrecorded(first.lock) || first.lock.kind === "deploy"
      ? await deps.records.list({ environment: lock.env, limit: 10 })
      : [];
  const held = recordedLock(first.lock, records);
  if (isUnrecorded(held)) return { kind: "held", lock: undefined };
  const why = await whyStale(deps, held, timeoutSeconds, records);
  if (!why) return { kind: "held", lock: held };
  await releaseOwnLock(deps.locks, held);
  const cleared = `🧹 Cleared a stale lock on \`${lock.env}\` (held by ${renderLogin(held.holder)} since ${renderUserText(held.since)}: ${held.reason ? renderUserText(held.reason) : "no reason given"}): ${why}.`;
  const again = await deps.locks.acquire(lock, options);
  if (again.kind === "held") {
    const lockNow = again.lock && recordedLock(again.lock, records);
    return { kind: "held", lock: lockNow && !isUnrecorded(lockNow) ? lockNow : undefined };
  }
  return { ...again, cleared };
}
