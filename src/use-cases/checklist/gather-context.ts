import type { ChecklistConfig } from "../../config/sections/checklist-section.js";
import type { CommitCheck } from "../../domain/checklist/types.js";
import type { ArtifactFile, ArtifactRef, ChecklistSource, ModelRegistry } from "../../ports/checklist.js";

/** One repository project: its directory and its version files (paths from the repo root). */
export interface ChecklistProject {
  name: string;
  path: string;
  versionFiles: string[];
  /**
   * How a version file states the version when it is not by its name (a manifest holds it as the
   * project's image tag): the reader of the updater the release bumps it with.
   */
  versionReaders?: ReadonlyMap<string, (text: string) => string | undefined> | undefined;
}

export interface ChecklistPullRequest {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The PR description; omit it (events without a PR payload) to have it read. */
  body?: string | null | undefined;
}

export interface ChecklistDeps {
  source: ChecklistSource;
  /** Absent when no MLflow URL is configured: MLflow-sourced model gates then fail with that reason. */
  models?: ModelRegistry | undefined;
}

/** What every gatherer may read; shared reads (checks, artifacts) are fetched once per evaluation. */
export interface GatherContext {
  deps: ChecklistDeps;
  pr: ChecklistPullRequest;
  version: string;
  config: ChecklistConfig;
  projects: ChecklistProject[];
  previousTag: string | null | undefined;
  checks(): Promise<CommitCheck[]>;
  artifacts(): Promise<ArtifactRef[]>;
  artifactFiles(artifact: ArtifactRef): Promise<ArtifactFile[]>;
}

const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
};

export const createGatherContext = (
  init: Omit<GatherContext, "checks" | "artifacts" | "artifactFiles">,
): GatherContext => {
  const { source } = init.deps;
  const downloads = new Map<number, Promise<ArtifactFile[]>>();
  return {
    ...init,
    checks: once(() => source.listCommitChecks(init.pr.headSha)),
    artifacts: once(async () => (await source.listArtifacts(init.pr.headSha)).filter((a) => !a.expired)),
    artifactFiles: (artifact) => {
      let files = downloads.get(artifact.id);
      if (!files) downloads.set(artifact.id, (files = source.readArtifact(artifact)));
      return files;
    },
  };
};

const decoder = new TextDecoder("utf-8");
export const textOf = (file: ArtifactFile): string => decoder.decode(file.bytes);

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
