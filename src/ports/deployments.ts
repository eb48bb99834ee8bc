/**
 * The GitHub side of deploying: Deployment records and their statuses (the deployments
 * capability), and the small ports the deploy use-cases compose from the others: release tags
 * (over refs), the smoke-test workflow dispatched and waited for (over workflows) and the
 * conversation the command came from (over issues).
 */
import type { DeployPayload } from "../domain/deploy/deploy-payload.js";

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

/** The issue a command came from: a reply is a comment there. */
export interface Thread {
  reply(body: string): Promise<void>;
}

export type ProbeResult = { ok: true; status: number } | { ok: false; detail: string };

/** An HTTP GET of a health-check URL. */
export type Probe = (url: string) => Promise<ProbeResult>;
