import type { ApiCallFigures } from "./api-calls.js";
import type { ChangelogFigures } from "./changelog-bench.js";
import type { DeployFigures } from "./deploy-bench.js";
import type { Machine } from "./machine.js";
import type { WebhookFigures } from "./webhook-overhead.js";

/** The shape of bench/results.json: headline figures first, everything measured under details. */
export interface BenchResults {
  machine: string;
  date: string;
  /** `checklistCiRound`: one CI round (30 projects × 100 check runs) on a release PR, all calls. */
  apiCalls: ApiCallFigures["counts"] & { checklistCiRound?: number | null };
  webhook: { appP50Ms: number; bareP50Ms: number; p50Ratio: number; throughputRatio: number };
  changelog: { speedupVsKeepAChangelog: number; speedupVsChangelogParser: number };
  rollbackToPatchP50Ms: number | null;
  peakRssMb: number;
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
