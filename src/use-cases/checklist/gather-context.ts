import type { ChecklistConfig } from "../../config/sections/checklist-section.js";
import type { CommitCheck } from "../../domain/checklist/types.js";
import type { ArtifactFile, ArtifactRef, ChecklistSource, ModelRegistry } from "../../ports/checklist.js";
import type { GitData } from "../../ports/git-data.js";
import type { Pulls } from "../../ports/pulls.js";
import type { Releases } from "../../ports/releases.js";
import type { RepoChecklistMemory } from "./memory.js";

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
  /** CI results, artifacts, alerts and team membership. */
  source: ChecklistSource;
  /** Files at the head (several in one request) and the comparison with the previous release. */
  git: Pick<GitData, "readFiles" | "compare">;
  pulls: Pick<Pulls, "listReviews" | "readPullBody">;
  releases: Pick<Releases, "findLatestTag">;
  /** What earlier evaluations read that cannot change (by SHA); absent: everything is read. */
  memory?: RepoChecklistMemory | undefined;
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
  /**
   * A file's text at the head (null: absent). The paths asked for in the same turn of the event
   * loop are read in one request, and a file at a commit is read once per process (memory).
   */
  fileAtHead(path: string): Promise<string | null>;
}

const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
};

/** A full commit SHA names content that never changes; a branch or tag name does not. */
const isSha = (ref: string) => /^[0-9a-f]{40}$/i.test(ref);

/**
 * Reads files at `ref` in batches: every path asked before the next turn of the event loop goes
 * into one `readFiles` request (the gatherers ask concurrently).
 */
const fileBatcher = (git: ChecklistDeps["git"], ref: string) => {
  let pending:
    Map<string, { resolve: (t: string | null) => void; reject: (e: unknown) => void }[]> | undefined;
  const flush = async (batch: NonNullable<typeof pending>) => {
    try {
      const texts = await git.readFiles(ref, [...batch.keys()]);
      for (const [path, waiting] of batch) for (const w of waiting) w.resolve(texts.get(path) ?? null);
    } catch (e) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(e);
    }
  };
  return (path: string): Promise<string | null> =>
    new Promise((resolve, reject) => {
      if (!pending) {
        const batch = (pending = new Map());
        setImmediate(() => {
          pending = undefined;
          void flush(batch);
        });
      }
      const waiting = pending.get(path) ?? [];
      waiting.push({ resolve, reject });
      pending.set(path, waiting);
    });
};

export const createGatherContext = (
  init: Omit<GatherContext, "checks" | "artifacts" | "artifactFiles" | "fileAtHead">,
): GatherContext => {
  const { source, memory } = init.deps;
  const downloads = new Map<number, Promise<ArtifactFile[]>>();
  const sha = init.pr.headSha;
  const read = fileBatcher(init.deps.git, sha);
  return {
    ...init,
    checks: once(() => source.listCommitChecks(init.pr.headSha)),
    artifacts: once(async () => (await source.listArtifacts(init.pr.headSha)).filter((a) => !a.expired)),
    artifactFiles: (artifact) => {
      let files = downloads.get(artifact.id);
      if (!files) downloads.set(artifact.id, (files = source.readArtifact(artifact)));
      return files;
    },
    fileAtHead: (path) =>
      memory && isSha(sha) ? memory.bySha(`${sha}:${path}`, () => read(path)) : read(path),
  };
};

const decoder = new TextDecoder("utf-8");
export const textOf = (file: ArtifactFile): string => decoder.decode(file.bytes);

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
