/**
 * The GitHub side of deploying: Deployment records and their statuses, release tags, the
 * smoke-test workflow, the post-mortem issue and the conversation the command came from.
 */
import type { PermissionLevel } from "../domain/commands/permission.js";
import type { DeployPayload } from "../domain/deploy/deploy-payload.js";
import type { DeployReview, ShippingPull } from "../domain/deploy/evaluate-deploy-approvals.js";

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** Whether a Deployment is still being worked on: queued or in progress. */
export const isInFlight = (state: DeploymentState | undefined): boolean =>
  state === "queued" || state === "in_progress";

export interface DeploymentRecord {
  id: number;
  environment: string;
  ref: string;
  task: string;
  creator: string;
  createdAt: string;
  payload: DeployPayload | undefined;
  /** The newest status; undefined when none was set yet. */
  state: DeploymentState | undefined;
  /** The newest status' description (a canary analysis records its progress there). */
  description?: string | undefined;
  /** Whether it ever reached success (GitHub turns old successes inactive). */
  everSucceeded: boolean;
}

export interface NewDeployment {
  environment: string;
  ref: string;
  task: string;
  description: string;
  payload: DeployPayload;
  production: boolean;
  /** Let GitHub check every status of the ref (readiness gate); false sends required_contexts: []. */
  requireGreen: boolean;
}

export type CreateDeploymentResult =
  { kind: "created"; id: number; url: string } | { kind: "refused"; message: string };

export interface DeploymentRecords {
  create(deployment: NewDeployment): Promise<CreateDeploymentResult>;
  setStatus(
    id: number,
    state: DeploymentState,
    options?: { description?: string; environmentUrl?: string; logUrl?: string },
  ): Promise<void>;
  /** Newest first, at most `limit`. */
  list(options: { environment?: string; limit: number }): Promise<DeploymentRecord[]>;
  get(id: number): Promise<DeploymentRecord | undefined>;
}

export interface ReleaseTags {
  /** The ref of a released version (its tag), or undefined when it was not released. */
  tagOf(version: string): Promise<string | undefined>;
  /** The newest released version (no pre-releases), if any. */
  latest(): Promise<string | undefined>;
}

/** What the approvals gate reads: the PR that shipped a version, its reviews, reviewers' access. */
export interface ShippedPulls {
  /**
   * The merged PR into `mainBranch` that shipped `version`: the release PR from
   * `<releaseBranchPrefix><version>`, else the hotfix (or revert) PR whose marker carries it.
   */
  find(query: {
    version: string;
    mainBranch: string;
    releaseBranchPrefix: string;
  }): Promise<ShippingPull | undefined>;
  listReviews(pull: number): Promise<DeployReview[]>;
  permissionOf(user: string): Promise<PermissionLevel>;
}

export type SmokeResult =
  | { kind: "passed"; url: string }
  | { kind: "failed"; url: string; conclusion: string }
  | { kind: "timed-out"; url: string | undefined }
  | { kind: "not-started"; message: string };

/** A workflow dispatched and waited for: the smoke tests, and the workflow driver's deploys. */
export interface SmokeTests {
  /** `onRun` is told the run's URL once the run is found, before it completes. */
  run(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
    timeoutMs: number,
    onRun?: (url: string) => Promise<void>,
  ): Promise<SmokeResult>;
}

export interface PostMortems {
  open(title: string, body: string): Promise<{ number: number; url: string }>;
}

export interface Thread {
  reply(body: string): Promise<void>;
}

export type ProbeResult = { ok: true; status: number } | { ok: false; detail: string };

/** An HTTP GET of a health-check URL. */
export type Probe = (url: string) => Promise<ProbeResult>;
