/** Everything a background rollout job needs; serializable parts come from the Deployment record. */
import type { EnvironmentConfig } from "../../config/sections/environments-section.js";
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import type { EnvironmentLock } from "../../domain/deploy/lock-message.js";
import type { Cluster } from "../../ports/cluster.js";
import type { Invocation } from "./deploy-deps.js";

export interface DeployJob {
  env: string;
  envConfig: EnvironmentConfig;
  cluster: Cluster;
  recordId: number;
  ref: string;
  /** Ref for records of versions that have no tag. */
  fallbackRef: string;
  payload: DeployPayload;
  lock: EnvironmentLock;
  issueUrl: string;
  tagPrefix: string;
  /** Picked up after a restart: the record is read again once claimed, as another instance may have finished it. */
  resumed?: boolean;
  /**
   * The version of a claim found on this rollout that the driver replaces atomically (its own
   * from before a restart, or an expired one); without it the driver creates the claim.
   */
  takeOver?: string;
}

export const claimKeyOf = (recordId: number): string => `deployment-${recordId}`;

/** A job for a Deployment record just created; the refs and links come from the invocation. */
export const deployJobFor = (
  call: Pick<Invocation, "config" | "issueUrl">,
  fields: Pick<DeployJob, "env" | "envConfig" | "cluster" | "recordId" | "ref" | "payload" | "lock">,
): DeployJob => ({
  ...fields,
  fallbackRef: call.config.release.mainBranch,
  issueUrl: call.issueUrl,
  tagPrefix: call.config.release.tagPrefix,
});
