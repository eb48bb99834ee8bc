/**
 * What the checklist remembers between evaluations, in this process only: what is immutable by
 * commit SHA (file texts, tree paths), and per release-PR head the last evaluation (its gates and
 * the check runs as last written), so that a CI completion re-evaluates only the gates reading
 * check results and writes only what changed. Losing it (a restart, an eviction) costs calls,
 * never correctness: an evaluation without a memory is a full one.
 */
import type { Config } from "../../config/schema.js";
import type { GateResult } from "../../domain/checklist/types.js";
import type { StoredCheckRun } from "../../ports/checklist.js";

/** A bounded map that forgets the least recently used entry first. */
export class Lru<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    // A Map iterates in insertion order: the first keys are the least recently used.
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limit) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** What an evaluation was asked, to ask it again for the gates reading check results alone. */
export interface EvaluationRequest {
  config: Config;
  pull: { number: number; headSha: string; headRef: string; baseRef: string };
  version: string;
  previousVersion?: string | undefined;
}

/** The last evaluation of one release PR at one head commit. */
export interface EvaluationMemo {
  request: EvaluationRequest;
  gates: GateResult[];
  /** This app's check runs on the head as GitHub last answered a write or a listing. */
  runs: StoredCheckRun[];
  /** The PR body as last read or written (its checklist section decides whether to rewrite it). */
  body: string | null | undefined;
}

/** A whole evaluation (every gate) or only the gates reading check results. */
export type EvaluationScope = "all" | "checks";

const wider = (a: EvaluationScope, b: EvaluationScope): EvaluationScope =>
  a === "all" || b === "all" ? "all" : "checks";

type Work = (scope: EvaluationScope) => Promise<void>;

/**
 * One evaluation at a time per key (a PR head), and every request arriving during it becomes
 * exactly one more evaluation afterwards, of the widest scope asked, by the latest request's
 * work: the last completion of a burst is never lost, and a burst of 100 costs a few evaluations,
 * not 100. The work runs through `start` (the app's background jobs), so the webhook is answered
 * at once. A failed evaluation does not stop the one queued after it.
 */
export class Coalescer {
  readonly #busy = new Map<string, { again: EvaluationScope | undefined; work: Work }>();

  submit(
    key: string,
    scope: EvaluationScope,
    work: Work,
    start: (name: string, fn: () => Promise<void>) => void,
  ): "started" | "queued" {
    const busy = this.#busy.get(key);
    if (busy) {
      busy.again = busy.again === undefined ? scope : wider(busy.again, scope);
      busy.work = work;
      return "queued";
    }
    const state: { again: EvaluationScope | undefined; work: Work } = { again: scope, work };
    this.#busy.set(key, state);
    start(`checklist ${key}`, async () => {
      try {
        while (state.again !== undefined) {
          const current = state.again;
          state.again = undefined;
          try {
            await state.work(current);
          } catch (e) {
            // Logged by the job runner when nothing is queued after it; else the next run retries.
            if (state.again === undefined) throw e;
          }
        }
      } finally {
        this.#busy.delete(key);
      }
    });
    return "started";
  }

  /** Whether an evaluation of `key` is running now. */
  running(key: string): boolean {
    return this.#busy.has(key);
  }
}

/** The memory of one repository, as one evaluation's deps carry it. */
export interface RepoChecklistMemory {
  /** A value immutable by SHA (file text at a commit, a tree's paths): computed once. */
  bySha<T>(key: string, load: () => Promise<T>): Promise<T>;
  evaluation(key: string): EvaluationMemo | undefined;
  remember(key: string, memo: EvaluationMemo): void;
  forget(key: string): void;
  /** The config the last evaluation read from the default branch (to skip untracked checks). */
  config(): Config | undefined;
  rememberConfig(config: Config): void;
  /** Runs `work` through `start` now, or once more after the evaluation of `key` running now. */
  coalesce(
    key: string,
    scope: EvaluationScope,
    work: Work,
    start: (name: string, fn: () => Promise<void>) => void,
  ): "started" | "queued";
}

/**
 * Texts longer than this are not kept: a PR's author writes the files at its head, and 2,000
 * kept texts of at most 256 K characters bound the memory they can take (about 1 GB at worst
 * in UTF-16, in practice version files of a few hundred bytes).
 */
export const MAX_KEPT_TEXT = 256 * 1024;

/** The app-wide memory: bounded in entries, shared by every repository (keys carry the repository). */
export class ChecklistMemory {
  readonly #immutable: Lru<string, Promise<unknown>>;
  readonly #evaluations: Lru<string, EvaluationMemo>;
  readonly #configs: Lru<string, Config>;
  readonly coalescer = new Coalescer();

  constructor(limits: { immutable?: number; evaluations?: number; configs?: number } = {}) {
    this.#immutable = new Lru(limits.immutable ?? 2000);
    this.#evaluations = new Lru(limits.evaluations ?? 200);
    this.#configs = new Lru(limits.configs ?? 500);
  }

  /** The memory of `repo` ("owner/name"). */
  of(repo: string): RepoChecklistMemory {
    return {
      bySha: <T>(key: string, load: () => Promise<T>): Promise<T> => {
        const k = `${repo}@${key}`;
        const found = this.#immutable.get(k);
        if (found) return found as Promise<T>;
        const loading = load();
        this.#immutable.set(k, loading);
        // A failed read is not remembered (the next evaluation asks again), nor a long text.
        loading.then(
          (value) => {
            if (typeof value === "string" && value.length > MAX_KEPT_TEXT) this.#immutable.delete(k);
          },
          () => this.#immutable.delete(k),
        );
        return loading;
      },
      evaluation: (key) => this.#evaluations.get(`${repo}#${key}`),
      remember: (key, memo) => this.#evaluations.set(`${repo}#${key}`, memo),
      forget: (key) => this.#evaluations.delete(`${repo}#${key}`),
      config: () => this.#configs.get(repo),
      rememberConfig: (config) => this.#configs.set(repo, config),
      coalesce: (key, scope, work, start) => this.coalescer.submit(`${repo}#${key}`, scope, work, start),
    };
  }
}
