import type { FileCache } from "../adapters/github/read-repo-file.js";
import type { Clock } from "../ports/clock.js";
import type { Metrics } from "../ports/metrics.js";
import type { CommandRunners } from "./command-context.js";

/** What the composition root hands every handler. */
export interface AppDeps {
  clock: Clock;
  fileCache: FileCache;
  runners: CommandRunners;
  metrics: Metrics;
}
