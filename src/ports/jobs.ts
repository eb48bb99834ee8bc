/**
 * Work that continues after the webhook was answered (rollout watches). The tracker keeps each
 * promise so shutdown, tests and the demo can wait for everything to finish.
 */
export interface Jobs {
  /** Start `fn` now; its failure is logged, never thrown at the caller. */
  run(name: string, fn: () => Promise<void>): void;
  /** Resolves once no job is running (jobs started by jobs included). */
  idle(): Promise<void>;
}
