/**
 * A driver's watch claim on its rollout: taken (created, or taken over from the version a resumer
 * found), renewed before each later phase so it never expires under a live driver, and lost when
 * another instance took it over (the driver then stops and leaves the rollout to it).
 */
import {
  claimExpiry,
  DEFAULT_CLAIM_MARGIN_SECONDS,
  type WatchClaim,
} from "../../domain/deploy/watch-claim.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf, type DeployJob } from "./deploy-job.js";

export class WatchLostError extends Error {
  constructor(readonly key: string) {
    super(`the watch claim ${key} was taken over by another instance`);
  }
}

/** The claim this driver holds: its key and current version. */
export interface Watch {
  key: string;
  version: string;
}

type ClaimDeps = Pick<DeployDeps, "locks" | "clock" | "instance" | "claimMarginSeconds">;

/** A claim by this instance on `job`'s rollout, dated from now. */
export const watchClaimFor = (
  deps: ClaimDeps,
  job: Pick<DeployJob, "recordId" | "envConfig">,
): WatchClaim => ({
  key: claimKeyOf(job.recordId),
  holder: deps.instance,
  expires: claimExpiry(
    deps.clock.now(),
    job.envConfig.timeoutSeconds,
    deps.claimMarginSeconds ?? DEFAULT_CLAIM_MARGIN_SECONDS,
  ),
});

/** How long a claim lasts in ms (for claims written without an expiry). */
export const claimTtlMs = (deps: Pick<DeployDeps, "claimMarginSeconds">, timeoutSeconds: number): number =>
  (timeoutSeconds + (deps.claimMarginSeconds ?? DEFAULT_CLAIM_MARGIN_SECONDS)) * 1000;

/** Take the watch of `job`'s rollout: undefined when another instance has it. */
export async function takeWatch(
  deps: ClaimDeps,
  job: Pick<DeployJob, "recordId" | "envConfig" | "takeOver">,
): Promise<Watch | undefined> {
  const claim = watchClaimFor(deps, job);
  const version = job.takeOver
    ? await deps.locks.takeOver(job.takeOver, claim)
    : await deps.locks.claim(claim);
  return version ? { key: claim.key, version } : undefined;
}

/**
 * Give the claim up, if it is still this driver's: once expired it may have been taken over,
 * and deleting the ref then would free another instance's claim.
 */
export async function releaseWatch(deps: Pick<DeployDeps, "locks">, watch: Watch): Promise<void> {
  if ((await deps.locks.claimVersion(watch.key)) === watch.version) await deps.locks.unclaim(watch.key);
}

/** Push the claim's expiry on before a further phase; throws `WatchLostError` when it was taken over. */
export async function renewWatch(deps: ClaimDeps, job: DeployJob, watch: Watch): Promise<void> {
  const version = await deps.locks.takeOver(watch.version, watchClaimFor(deps, job));
  if (!version) throw new WatchLostError(watch.key);
  watch.version = version;
}
