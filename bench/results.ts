import type { LargeRepoFigures } from "./large-repo.js";
import type { WriteFigures } from "./writes.js";
import type { ApiCallFigures } from "./api-calls.js";
import type { ChangelogFigures } from "./changelog-bench.js";
import type { DeployFigures } from "./deploy-bench.js";
import type { Machine } from "./machine.js";
import type { WebhookFigures } from "./webhook-overhead.js";

/** The shape of bench/results.json: headline figures first, everything measured under details. */
export interface BenchResults {
  machine: string;
  date: string;
  apiCalls: ApiCallFigures["counts"];
  webhook: { appP50Ms: number; bareP50Ms: number; p50Ratio: number; throughputRatio: number };
  changelog: { speedupVsKeepAChangelog: number; speedupVsChangelogParser: number };
  rollbackToPatchP50Ms: number | null;
  peakRssMb: number;
  /** `/release` with data files committed, the app in its own process (bench/large-repo.ts). */
  largeRepo?: LargeRepoFigures | undefined;
  /** Content-creating requests per command (bench/writes.ts). */
  writes?: WriteFigures | undefined;
  /** Targets this run missed (empty when all were met). */
  failures: string[];
  details: {
    machine: Machine;
    apiCalls: ApiCallFigures["details"];
    apiCallNotes: ApiCallFigures["notes"];
    configRereadStatus: number | null;
    webhookMix: string[];
    webhook: WebhookFigures;
    changelog: ChangelogFigures;
    deploy: DeployFigures;
    maxRssMbWholeRun: number;
    durationSeconds: number;
  };
}
