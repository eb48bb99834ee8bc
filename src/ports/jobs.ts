/**
 * Work that continues after the webhook was answered (rollout watches). The tracker keeps each
 * promise so shutdown, tests and the demo can wait for everything to finish.
 */
export interface Jobs {
  /** Start `fn` now; its failure is logged, never thrown at the caller. */
  run(name: string, fn: () => Promise<void>): void;
  /** Resolves once no job is running (jobs started by jobs included). */
  idle(): Promise<void>;
  /**
   * Aborted once the app begins to stop: jobs that only wait (for another instance's claim to
   * expire) end at once instead of holding the shutdown up.
   */
  readonly stopping: AbortSignal;
  /** Begin stopping (aborts `stopping`). */
  stop(): void;
  /** Wait for the running jobs at most `ms`: the names of those still running then. */
  settle(ms: number): Promise<string[]>;
}
