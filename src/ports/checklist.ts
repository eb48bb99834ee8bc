import type { CheckRunOutput } from "../domain/checklist/render-check-run-output.js";
import type { CommitCheck, Finding } from "../domain/checklist/types.js";

/** A workflow-run artifact produced for the head commit. */
export interface ArtifactRef {
  id: number;
  name: string;
  /** The workflow run that uploaded it. */
  runId: number;
  expired: boolean;
  /** A page a person can open (the workflow run). */
  url?: string | undefined;
}

export interface ArtifactFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * What the checklist alone reads from GitHub (CI results, artifacts, alerts, team membership);
 * files, comparisons, reviews, the PR body and the latest release come from the capability
 * ports (git-data, pulls, releases). Methods throw on API failure.
 */
export interface ChecklistSource {
  /** Check runs (latest per name) and commit statuses (latest per context) on a commit, normalised. */
  listCommitChecks(sha: string): Promise<CommitCheck[]>;
  isTeamMember(org: string, teamSlug: string, user: string): Promise<boolean>;
  /** Artifacts of the workflow runs on this head commit, newest first. */
  listArtifacts(sha: string): Promise<ArtifactRef[]>;
  /** The artifact's files (the zip GitHub serves, unpacked). */
  readArtifact(artifact: ArtifactRef): Promise<ArtifactFile[]>;
  /**
   * Open code-scanning alerts on a ref (refs/pull/7/merge, refs/heads/release/v1.2.0);
   * null when no analysis ran on that ref, so "no alerts" cannot be told from "not scanned".
   */
  listCodeScanningAlerts(ref: string): Promise<Finding[] | null>;
  /** Open Dependabot alerts of the repository. */
  listDependabotAlerts(): Promise<Finding[]>;
}

/** A check run this app already published. */
export interface StoredCheckRun {
  id: number;
  name: string;
  externalId: string | null;
  url?: string | undefined;
  completed?: boolean | undefined;
}

/** Writes this app's check runs. */
export interface CheckRunWriter {
  /** This app's check runs on a commit (other apps' are not returned). */
  listOwn(sha: string): Promise<StoredCheckRun[]>;
  create(sha: string, run: CheckRunOutput): Promise<StoredCheckRun>;
  update(id: number, run: CheckRunOutput): Promise<StoredCheckRun>;
}

/** Which registered model version ships: an exact version, an alias, or the latest in a stage. */
export interface ModelVersionRef {
  name: string;
  version?: string | undefined;
  alias?: string | undefined;
  stage?: string | undefined;
}

export interface ModelVersionMetrics {
  name: string;
  version: string;
  runId: string;
  metrics: Record<string, number>;
  /** The model version's page in the registry UI. */
  url?: string | undefined;
}

/** The model registry (MLflow). */
export interface ModelRegistry {
  getModelVersionMetrics(ref: ModelVersionRef): Promise<ModelVersionMetrics>;
  tagModelVersion(name: string, version: string, key: string, value: string): Promise<void>;
}
