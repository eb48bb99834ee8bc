/**
 * A rollout another instance is watching: look at just its claim again, every `claimRecheckMs`
 * (one ref read) and at its expiry, until it is released, changed or expired; then decide again.
 * Ends at once when the app stops (it holds nothing).
 */
import type { DeployDeps } from "./deploy-deps.js";
import { RECORD_CLAIM } from "./watch-claims.js";

export const DEFAULT_CLAIM_RECHECK_MS = 15_000;

export function deferClaimed(
  deps: Pick<DeployDeps, "jobs" | "locks" | "clock" | "sleep" | "claimRecheckMs">,
  claim: { key: string; version: string; until: Date },
  decideAgain: () => Promise<void>,
): void {
  const every = deps.claimRecheckMs ?? DEFAULT_CLAIM_RECHECK_MS;
  deps.jobs.run(`await claim ${claim.key}`, async () => {
    const signal = deps.jobs.stopping;
    for (;;) {
      const left = claim.until.getTime() - deps.clock.now().getTime();
      if (left > 0) await deps.sleep(Math.min(every, left), signal);
      if (signal.aborted) return;
      const expired = deps.clock.now().getTime() >= claim.until.getTime();
      // A claim its record carries has no ref until it is taken over or handed over.
      const version = (await deps.locks.claimVersion(claim.key)) ?? RECORD_CLAIM;
      if (expired || version !== claim.version) break;
    }
    if (!signal.aborted) await decideAgain();
  });
}
