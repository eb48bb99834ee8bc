/**
 * A driver's watch claim on its rollout: taken (created, or taken over from the version a resumer
 * found), renewed before a later phase when it would not last through it, and lost when another
 * instance took it over (the driver then stops and leaves the rollout to it).
 *
 * The first claim costs no write: the instance that creates a Deployment record names itself and
 * the claim's expiry in the record's payload (`watch`), and the environment's lock, taken before
 * the record, is what made it the only one to create it. A claim ref
 * (`refs/release-pilot/watch/<key>`, created atomically) is written only when that claim is taken
 * over by another instance (after it expired), renewed (when a phase would outlast it) or handed
 * over on stop; once it exists, it is the claim.
 */
import {
  claimExpiry,
  DEFAULT_CLAIM_MARGIN_SECONDS,
  type WatchClaim,
} from "../../domain/deploy/watch-claim.js";
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import { type DeploymentRecord, isInFlight } from "../../ports/deployments.js";
import type { StoredClaim } from "../../ports/locks.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf, type DeployJob } from "./deploy-job.js";

export class WatchLostError extends Error {
  constructor(readonly key: string) {
    super(`the watch claim ${key} was taken over by another instance`);
  }
}

/** The version of a claim carried by its record's payload (there is no claim ref yet). */
export const RECORD_CLAIM = "record";

/** The claim this driver holds: its key, current version and expiry. */
export interface Watch {
  key: string;
  version: string;
  /** ISO timestamp. */
  expires: string;
}

type ClaimDeps = Pick<DeployDeps, "locks" | "clock" | "instance" | "claimMarginSeconds">;

const marginSeconds = (deps: Pick<DeployDeps, "claimMarginSeconds">): number =>
  deps.claimMarginSeconds ?? DEFAULT_CLAIM_MARGIN_SECONDS;

/** The claim a new record's payload carries: this instance's, for one rollout from now. */
export const recordWatchFor = (
  deps: Pick<DeployDeps, "clock" | "instance" | "claimMarginSeconds">,
  timeoutSeconds: number,
): NonNullable<DeployPayload["watch"]> => ({
  holder: deps.instance,
  expires: claimExpiry(deps.clock.now(), timeoutSeconds, marginSeconds(deps)),
});

/** A claim by this instance on `job`'s rollout, dated from now. */
export const watchClaimFor = (
  deps: ClaimDeps,
  job: Pick<DeployJob, "recordId" | "envConfig">,
): WatchClaim => ({
  key: claimKeyOf(job.recordId),
  holder: deps.instance,
  expires: claimExpiry(deps.clock.now(), job.envConfig.timeoutSeconds, marginSeconds(deps)),
});

/** How long a claim lasts in ms (for claims written without an expiry). */
export const claimTtlMs = (deps: Pick<DeployDeps, "claimMarginSeconds">, timeoutSeconds: number): number =>
  (timeoutSeconds + marginSeconds(deps)) * 1000;

/**
 * The claim on a record's rollout: its claim ref when there is one, else what its payload says
 * while the record is in flight (its conclusion ends that claim: nothing is released).
 */
export async function findClaim(
  deps: Pick<DeployDeps, "locks">,
  record: Pick<DeploymentRecord, "id" | "createdAt" | "payload" | "state">,
): Promise<StoredClaim | undefined> {
  const stored = await deps.locks.getClaim(claimKeyOf(record.id));
  if (stored) return stored;
  const watch = record.payload?.watch;
  return watch && inFlightRecord(record)
    ? { holder: watch.holder, expires: watch.expires, claimedAt: record.createdAt, version: RECORD_CLAIM }
    : undefined;
}

/**
 * Whether a record's run may still be working: queued or in progress, or not given a status yet
 * by the instance that created it and claims it (a rollback's record is written with its outcome
 * only: https://docs.github.com/en/rest/deployments/statuses; without a status GitHub shows it
 * pending).
 */
export const inFlightRecord = (record: Pick<DeploymentRecord, "state" | "payload">): boolean =>
  isInFlight(record.state) || (record.state === undefined && record.payload?.watch !== undefined);

/** Take the watch of `job`'s rollout: undefined when another instance has it. */
export async function takeWatch(
  deps: ClaimDeps,
  job: Pick<DeployJob, "recordId" | "envConfig" | "takeOver" | "resumed"> & {
    payload?: Pick<DeployPayload, "watch"> | undefined;
  },
): Promise<Watch | undefined> {
  const claim = watchClaimFor(deps, job);
  const carried = job.payload?.watch;
  // The record this instance just created claims it already: nothing to write.
  if (!job.resumed && !job.takeOver && carried?.holder === deps.instance)
    return { key: claim.key, version: RECORD_CLAIM, expires: carried.expires };
  // A record's claim is replaced by creating the claim ref: atomic, so of two takers one wins.
  const version =
    job.takeOver && job.takeOver !== RECORD_CLAIM
      ? await deps.locks.takeOver(job.takeOver, claim)
      : await deps.locks.claim(claim);
  return version ? { key: claim.key, version, expires: claim.expires } : undefined;
}

/**
 * Give the claim up, if it is still this driver's: once expired it may have been taken over,
 * and deleting the ref then would free another instance's claim. A record's claim ends with the
 * record's conclusion (only records in flight are resumed): nothing to write.
 */
export async function releaseWatch(deps: Pick<DeployDeps, "locks">, watch: Watch): Promise<void> {
  if (watch.version === RECORD_CLAIM) return;
  if ((await deps.locks.claimVersion(watch.key)) === watch.version) await deps.locks.unclaim(watch.key);
}

/**
 * Hand the claim over on stop, so that the next instance takes the rollout at once: a claim ref
 * is deleted; a record's claim is ended by a claim ref that expires now (the record still says
 * who drove it, and its claim would otherwise hold the rollout until it expires).
 */
export async function handOverWatch(
  deps: Pick<DeployDeps, "locks" | "clock" | "instance">,
  watch: Watch,
): Promise<void> {
  if (watch.version !== RECORD_CLAIM) return releaseWatch(deps, watch);
  await deps.locks.claim({ key: watch.key, holder: deps.instance, expires: deps.clock.now().toISOString() });
}

/**
 * Before a further phase that may take up to `needMs`: push the claim's expiry on when it would
 * end before the phase does. Until a claim expires nobody else may take it, so a claim that lasts
 * through the phase is left as it is (no write). Throws `WatchLostError` when it was taken over.
 */
export async function renewWatch(
  deps: ClaimDeps,
  job: DeployJob,
  watch: Watch,
  needMs: number,
): Promise<void> {
  if (Date.parse(watch.expires) - deps.clock.now().getTime() >= needMs) return;
  const claim = watchClaimFor(deps, job);
  const version =
    watch.version === RECORD_CLAIM
      ? await deps.locks.claim(claim)
      : await deps.locks.takeOver(watch.version, claim);
  if (!version) throw new WatchLostError(watch.key);
  watch.version = version;
  watch.expires = claim.expires;
}

/** What a phase of `job` may take at most: verifying a rollout (the margin), or a rollout and its verification. */
export const phaseMs = (
  deps: Pick<DeployDeps, "claimMarginSeconds">,
  job: Pick<DeployJob, "envConfig">,
  phase: "verify" | "rollout",
): number =>
  phase === "verify" ? marginSeconds(deps) * 1000 : claimTtlMs(deps, job.envConfig.timeoutSeconds);
