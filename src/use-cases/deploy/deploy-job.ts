/** Everything a background rollout job needs; serializable parts come from the Deployment record. */
import type { EnvironmentConfig } from "../../config/sections/environments.js";
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import type { EnvironmentLock } from "../../domain/deploy/environment-lock.js";
import type { Cluster } from "../../ports/cluster.js";

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
}

export const claimKeyOf = (recordId: number): string => `deployment-${recordId}`;
