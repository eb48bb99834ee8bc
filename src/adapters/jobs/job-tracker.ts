/** The in-process Jobs: keeps every running promise, logs failures, and tells when all are done. */
import type { Jobs } from "../../ports/jobs.js";

export interface JobLog {
  error(fields: object, message: string): void;
}

export class JobTracker implements Jobs {
  private readonly running = new Map<Promise<void>, string>();
  private readonly stopper = new AbortController();

  constructor(private readonly log: JobLog = { error: () => undefined }) {}

  run(name: string, fn: () => Promise<void>): void {
    const job: Promise<void> = Promise.resolve()
      .then(fn)
      .catch((err: unknown) => this.log.error({ err, job: name }, "background job failed"))
      .finally(() => this.running.delete(job));
    this.running.set(job, name);
  }

  /** Jobs may start jobs, so wait until a pass finds nothing running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.keys()]);
  }

  get stopping(): AbortSignal {
    return this.stopper.signal;
  }

  /** Tell waiting jobs the app is stopping (see `Jobs.stopping`). */
  stop(): void {
    this.stopper.abort();
  }

  /** Wait for the running jobs at most `ms`: the names of those still running then. */
  async settle(ms: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    try {
      await Promise.race([this.idle(), deadline]);
    } finally {
      clearTimeout(timer);
    }
    return [...this.running.values()];
  }

  get size(): number {
    return this.running.size;
  }
}
