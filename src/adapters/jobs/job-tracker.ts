/** The in-process Jobs: keeps every running promise, logs failures, and tells when all are done. */
import type { Jobs } from "../../ports/jobs.js";

export interface JobLog {
  error(fields: object, message: string): void;
}

export class JobTracker implements Jobs {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: JobLog = { error: () => undefined }) {}

  run(name: string, fn: () => Promise<void>): void {
    const job: Promise<void> = Promise.resolve()
      .then(fn)
      .catch((err: unknown) => this.log.error({ err, job: name }, "background job failed"))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Jobs may start jobs, so wait until a pass finds nothing running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  get size(): number {
    return this.running.size;
  }
}
