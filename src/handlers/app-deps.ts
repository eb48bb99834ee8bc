import type { FileCache } from "../adapters/github/read-repo-file.js";
import type { Clock } from "../ports/clock.js";
import type { CommandRunners } from "./command-context.js";

/** What the composition root hands every handler. */
export interface AppDeps {
  clock: Clock;
  fileCache: FileCache;
  runners: CommandRunners;
  /** Called with every finished command, for logs and metrics. */
  onOutcome?: (command: string, reason: string) => void;
}
