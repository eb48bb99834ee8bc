import type { ApiCallFigures } from "./api-calls.js";
import type { ChangelogFigures } from "./changelog-bench.js";
import type { DeployFigures } from "./deploy-bench.js";
import type { LargeRepoFigures } from "./large-repo.js";
import type { Machine } from "./machine.js";
import type { StartupFigures } from "./startup.js";
import type { WebhookFigures } from "./webhook-overhead.js";
import type { WriteFigures } from "./writes.js";

/** The shape of bench/results.json: headline figures first, everything measured under details. */
export interface BenchResults {
  machine: string;
  date: string;
  apiCalls: ApiCallFigures["counts"] & {
    /** One CI round (100 check runs completing) on a 30-project release PR: all calls. */
    checklistCiRound?: number | null;
  };
  webhook: {
    appP50Ms: number;
    bareP50Ms: number;
    /** Ignored deliveries only (the pre-filter's path). */
    p50Ratio: number;
    /** The mixed load (ignored and acted-on deliveries): median of the rounds' app ÷ bare p50. */
    mixedP50Ratio: number;
    mixedP99Ratio: number;
    throughputRatio: number;
  };
  changelog: {
    speedupVsKeepAChangelog: number;
    speedupVsChangelogParser: number;
    /** The same comparison on a CHANGELOG of a realistic size (tens of KB). */
    realistic: { sizeKb: number; speedupVsKeepAChangelog: number; speedupVsChangelogParser: number };
  };
  rollbackToPatchP50Ms: number | null;
  /** The app process alone under the webhook load (VmRSS). */
  appRssMb: number;
  startup: { coldStartRatio: number; idleRssRatio: number };
  /** The bench process (sandbox GitHub, its validators, the load generator): not the app. */
  peakRssMb: number;
  /** `/release` with data files committed, the app in its own process (bench/large-repo.ts). */
  largeRepo?: LargeRepoFigures | null | undefined;
  /** Content-creating requests per command (bench/writes.ts). */
  writes?: WriteFigures | null | undefined;
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
    changelogRealistic: ChangelogFigures;
    deploy: DeployFigures;
    startup: StartupFigures;
    /** How each headline figure was measured. */
    how: Record<string, string>;
    maxRssMbWholeRun: number;
    durationSeconds: number;
  };
}
