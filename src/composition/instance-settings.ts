/**
 * Who this app instance is and how it hands rollouts over, from its environment. The name must
 * outlive a restart of the process but not the pod: a container's node is PID 1 in every
 * replica, so the pid names nobody; the pod's name (`HOSTNAME`) survives a container restart in
 * the same pod, and a new pod gets a new one.
 */
import { hostname } from "node:os";
import { DEFAULT_CLAIM_MARGIN_SECONDS } from "../domain/deploy/watch-claim.js";

export interface InstanceSettings {
  /** Written on watch claims; a restarted process takes back the claims left under its name. */
  instance: string;
  /** Added to an environment's timeout to date a claim (time to verify a finished rollout). */
  claimMarginSeconds: number;
  /** How often a claim held by another instance is looked at again. */
  claimRecheckMs: number;
  /** How long a stopping process lets running jobs finish before handing them over. */
  shutdownGraceMs: number;
}

export const DEFAULT_CLAIM_RECHECK_MS = 15_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

const seconds = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
};

export function instanceSettingsFromEnv(
  env: Record<string, string | undefined>,
  host: () => string = hostname,
): InstanceSettings {
  const named = [env.RELEASE_PILOT_INSTANCE, env.HOSTNAME].map((v) => v?.trim()).find(Boolean);
  return {
    instance: named ?? host(),
    claimMarginSeconds: seconds(env.RELEASE_PILOT_CLAIM_MARGIN_SECONDS, DEFAULT_CLAIM_MARGIN_SECONDS),
    claimRecheckMs: seconds(env.RELEASE_PILOT_CLAIM_RECHECK_SECONDS, DEFAULT_CLAIM_RECHECK_MS / 1000) * 1000,
    shutdownGraceMs:
      seconds(env.RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS, DEFAULT_SHUTDOWN_GRACE_MS / 1000) * 1000,
  };
}
