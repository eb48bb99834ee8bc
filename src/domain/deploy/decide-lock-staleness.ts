/**
 * Whether a deploy's environment lock has outlived its holder. A deploy lock is only ever held by
 * a run that is still working: its Deployment record in flight, or its watch claim unexpired, or
 * (before either exists, or for a canary, which keeps no record) within one rollout's time. A lock
 * taken by hand (`/lock`) is never stale: only `/unlock` frees it.
 */
import type { EnvironmentLock } from "./lock-message.js";

/** A Deployment record of the environment, with what its watch claim says of its driver. */
export interface LockEvidence {
  id: number;
  /** ISO timestamp. */
  createdAt: string;
  inFlight: boolean;
  state: string | undefined;
  /** The driver's watch claim: held (unexpired), expired, or none. */
  claim: "held" | "expired" | "none";
}

export type LockStaleness = { kind: "live" } | { kind: "stale"; why: string };

/** GitHub dates records to the second: a record of this lock's run is no older than its second. */
const secondOf = (iso: string): number => Math.floor(Date.parse(iso) / 1000) * 1000;

export function decideLockStaleness(
  lock: EnvironmentLock,
  records: readonly LockEvidence[],
  now: Date,
  /** One rollout's time: the environment's timeout plus the claim's verification margin. */
  ttlMs: number,
): LockStaleness {
  if (lock.kind !== "deploy") return { kind: "live" };
  const since = Date.parse(lock.since);
  const age = Number.isNaN(since) ? Number.POSITIVE_INFINITY : now.getTime() - since;
  const ofThisRun = records.filter(
    (r) => !Number.isNaN(since) && Date.parse(r.createdAt) >= secondOf(lock.since),
  );
  const flying = records.filter((r) => r.inFlight);
  if (flying.some((r) => r.claim === "held")) return { kind: "live" };
  const abandoned = flying.find((r) => r.claim === "expired");
  if (abandoned)
    return {
      kind: "stale",
      why: `the watch claim on its deploy #${abandoned.id} expired (its holder stopped; a restart of release-pilot resumes that deploy)`,
    };
  if (flying.length > 0)
    return age > ttlMs ? { kind: "stale", why: "its holder's time ran out" } : { kind: "live" };
  // Nothing in flight: the run that took the lock has concluded, unless it is still finishing.
  const concluded = ofThisRun.find((r) => r.claim !== "held");
  if (concluded && !ofThisRun.some((r) => r.claim === "held"))
    return {
      kind: "stale",
      why: `its deploy #${concluded.id} concluded (${concluded.state ?? "no status"}) but the lock was not given back`,
    };
  if (age > ttlMs)
    return {
      kind: "stale",
      why: `its holder's time ran out (${Math.round(age / 60_000)} min, longer than any rollout here)`,
    };
  return { kind: "live" };
}

/** `/status`: how long a lock has been held, to the minute. */
export function renderLockAge(since: string, now: Date): string {
  const ms = now.getTime() - Date.parse(since);
  if (Number.isNaN(ms)) return "for an unknown time";
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "for less than a minute";
  if (minutes < 60) return `for ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `for ${hours} h ${minutes % 60} min`;
  return `for ${Math.floor(hours / 24)} days`;
}
