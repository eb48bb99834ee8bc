/**
 * A stopping app (SIGTERM): jobs that only wait end at once, running ones get `graceMs` to finish,
 * and the rollouts still unfinished then are handed over: their watch claims released so the
 * restarted process (or another replica looking at those claims) takes them at once. The
 * environment lock and the Deployment record stay as they are: they are what the next driver
 * resumes from.
 */
import type { Jobs } from "../../ports/jobs.js";
import type { DeployLog } from "./deploy-deps.js";
import type { HeldWatches } from "./held-watches.js";

export interface HandOff {
  /** Jobs still running when the grace ran out. */
  unfinished: string[];
  /** Watch claims released for the next instance. */
  released: string[];
}

export async function handOffRollouts(
  jobs: Pick<Jobs, "stop" | "settle">,
  watches: HeldWatches | undefined,
  graceMs: number,
  log: DeployLog,
): Promise<HandOff> {
  jobs.stop();
  const unfinished = await jobs.settle(graceMs);
  if (unfinished.length === 0) return { unfinished, released: [] };
  const released = watches
    ? await watches.handOver((key, err) =>
        log.error({ err, claim: key }, "could not release a watch claim; it will expire"),
      )
    : [];
  log.info({ unfinished, released }, "stopping with rollouts unfinished; handed over to the next instance");
  return { unfinished, released };
}
