/**
 * Locks cannot outlive their holder: taking an environment's lock looks, when it is held, whether
 * the holder is gone (its deploy concluded, or its watch claim expired); such a lock is cleared,
 * the taker told so, and the lock taken again.
 */
import { decideClaim } from "../../domain/deploy/watch-claim.js";
import { decideLockStaleness, type LockEvidence } from "../../domain/deploy/decide-lock-staleness.js";
import type { EnvironmentLock } from "../../domain/deploy/lock-message.js";
import { isInFlight } from "../../ports/deployments.js";
import type { AcquireResult } from "../../ports/locks.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf } from "./deploy-job.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { claimTtlMs } from "./watch-claims.js";
import { renderLogin, renderUserText } from "../../domain/user-text.js";

type StaleDeps = Pick<DeployDeps, "locks" | "records" | "clock" | "instance" | "claimMarginSeconds">;

/** Why `lock` is stale, or undefined while its holder may still be working. */
export async function whyStale(
  deps: StaleDeps,
  lock: EnvironmentLock,
  timeoutSeconds: number,
): Promise<string | undefined> {
  if (lock.kind !== "deploy") return undefined;
  const now = deps.clock.now();
  const ttl = claimTtlMs(deps, timeoutSeconds);
  const records = await deps.records.list({ environment: lock.env, limit: 10 });
  const evidence = await Promise.all(
    records.map(async (r): Promise<LockEvidence> => {
      const claim = await deps.locks.getClaim(claimKeyOf(r.id));
      // Any instance's claim counts here, this one's too: we only ask whether someone drives it.
      const decision = decideClaim(claim, "", now, ttl);
      return {
        id: r.id,
        createdAt: r.createdAt,
        inFlight: isInFlight(r.state),
        state: r.state,
        claim: decision.kind === "held" ? "held" : decision.kind === "expired" ? "expired" : "none",
      };
    }),
  );
  const decided = decideLockStaleness(lock, evidence, now, ttl);
  return decided.kind === "stale" ? decided.why : undefined;
}

export type LockTaken =
  | { kind: "acquired"; /** Said to the user: the stale lock that was cleared. */ cleared?: string }
  | Extract<AcquireResult, { kind: "held" }>;

/** Take `lock`; a stale deploy lock in the way is cleared (and named in `cleared`) first. */
export async function acquireClearingStale(
  deps: StaleDeps,
  lock: EnvironmentLock,
  timeoutSeconds = 600,
): Promise<LockTaken> {
  const first = await deps.locks.acquire(lock);
  if (first.kind === "acquired" || !first.lock) return first;
  const held = first.lock;
  const why = await whyStale(deps, held, timeoutSeconds);
  if (!why) return first;
  await releaseOwnLock(deps.locks, held);
  const cleared = `🧹 Cleared a stale lock on \`${lock.env}\` (held by ${renderLogin(held.holder)} since ${renderUserText(held.since)}: ${held.reason ? renderUserText(held.reason) : "no reason given"}): ${why}.`;
  const again = await deps.locks.acquire(lock);
  return again.kind === "acquired" ? { kind: "acquired", cleared } : again;
}
