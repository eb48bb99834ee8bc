import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApiCallFigures, benchApiCalls } from "./api-calls.js";
import { benchChangelog, type ChangelogFigures } from "./changelog-bench.js";
import { benchChecklistCiRound } from "./checklist-ci-round.js";
import { benchDeploy, type DeployFigures } from "./deploy-bench.js";
import { describeMachine, machineLine } from "./machine.js";
import { writeReadmeTable, renderTable } from "./readme-table.js";
import type { BenchResults } from "./results.js";
import { round } from "./stats.js";
import { benchWebhooks, type WebhookFigures } from "./webhook-overhead.js";

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const README = fileURLToPath(new URL("../README.md", import.meta.url));

const step = async <T>(title: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  process.stdout.write(`· ${title} … `);
  const value = await run();
  console.log(`${Math.round((performance.now() - started) / 1000)} s`);
  return value;
};

/** Targets are counts and ratios (one absolute time, the rollback's, against the local sandbox). */
const missedTargets = (r: BenchResults): string[] => {
  const missed: string[] = [];
  if (r.apiCalls.ignored !== 0)
    missed.push(`ignored events made ${r.apiCalls.ignored} API call(s) (target 0)`);
  if ((r.apiCalls.release ?? 0) > 16)
    missed.push(`/release made ${r.apiCalls.release} API calls (target ≤ 16)`);
  if (r.webhook.p50Ratio > 1.2)
    missed.push(`webhook p50 is ${r.webhook.p50Ratio}× the bare app's (target ≤ 1.2×)`);
  if (r.webhook.throughputRatio < 1 / 1.2)
    missed.push(`webhook throughput is ${r.webhook.throughputRatio}× the bare app's (target ≥ 0.83×)`);
  // The one absolute figure, set by the deploy issue: an emergency rollback reaches the cluster fast.
  if (r.rollbackToPatchP50Ms !== null && r.rollbackToPatchP50Ms >= 300)
    missed.push(`/rollback reached the cluster after ${r.rollbackToPatchP50Ms} ms at p50 (target < 300 ms)`);
  if (r.changelog.speedupVsKeepAChangelog < 1) missed.push("CHANGELOG engine slower than keep-a-changelog");
  if (r.changelog.speedupVsChangelogParser < 1) missed.push("CHANGELOG engine slower than changelog-parser");
  return missed;
};

/** The parts of the bench; `--only webhook,changelog` runs those and keeps the others' figures. */
const PARTS = ["changelog", "api-calls", "deploy", "webhook"] as const;
type Part = (typeof PARTS)[number];

const selectedParts = (argv: readonly string[]): Set<Part> => {
  const at = argv.indexOf("--only");
  if (at === -1) return new Set(PARTS);
  const asked = (argv[at + 1] ?? "").split(",").filter(Boolean);
  const unknown = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (asked.length === 0 || unknown.length > 0)
    throw new Error(`--only takes a comma-separated list of: ${PARTS.join(", ")} (got "${asked.join(",")}")`);
  return new Set(asked as Part[]);
};

interface Measured {
  changelog: ChangelogFigures;
  calls: ApiCallFigures;
  deploy: DeployFigures;
  webhook: WebhookFigures;
}

/** The API-call figures of a previous run, without deploy and rollback (their own part). */
const previousCalls = (r: BenchResults): ApiCallFigures => {
  const own = ([name]: [string, unknown]) => name !== "deploy" && name !== "rollback";
  return {
    counts: {
      release: r.apiCalls.release,
      release30: r.apiCalls.release30,
      checklist: r.apiCalls.checklist,
      ship: r.apiCalls.ship,
      deploy: null,
      rollback: null,
      ignored: r.details.apiCalls.ignored?.calls ?? null,
    },
    details: Object.fromEntries(Object.entries(r.details.apiCalls).filter(own)),
    notes: Object.fromEntries(Object.entries(r.details.apiCallNotes).filter(own)),
    configRereadStatus: r.details.configRereadStatus,
  };
};

/** The figures of the parts run now, the previous run's for the others. */
const measuredOrPrevious = (fresh: Partial<Measured>, previous: BenchResults | undefined): Measured => {
  const missing = (part: Part): never => {
    throw new Error(`bench/results.json holds no ${part} figures to keep: run that part too`);
  };
  const p = previous?.details;
  return {
    changelog: fresh.changelog ?? p?.changelog ?? missing("changelog"),
    calls: fresh.calls ?? (previous ? previousCalls(previous) : missing("api-calls")),
    deploy: fresh.deploy ?? p?.deploy ?? missing("deploy"),
    webhook: fresh.webhook ?? p?.webhook ?? missing("webhook"),
  };
};

const main = async (): Promise<number> => {
  const started = performance.now();
  const parts = selectedParts(process.argv.slice(2));
  const previous =
    parts.size < PARTS.length ? (JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults) : undefined;
  const machine = describeMachine();
  console.log(`release-pilot bench on ${machineLine(machine)}\n`);
  const fresh: Partial<Measured> = {};
  if (parts.has("changelog"))
    fresh.changelog = await step("CHANGELOG engine vs keep-a-changelog and changelog-parser", () =>
      benchChangelog(3000, 3),
    );
  if (parts.has("api-calls"))
    fresh.calls = await step("API calls per operation (sandbox GitHub)", () => benchApiCalls());
  const ciRound = parts.has("api-calls")
    ? await step("checklist: one CI round, 30 projects × 100 check runs", () => benchChecklistCiRound())
    : undefined;
  if (parts.has("deploy"))
    fresh.deploy = await step("/deploy and /rollback (sandbox GitHub + fake cluster)", () => benchDeploy(5));
  if (parts.has("webhook"))
    fresh.webhook = await step("webhook overhead vs a bare Probot app", () =>
      benchWebhooks([50, 100, 200, 400], 3),
    );
  const { changelog, calls, deploy, webhook } = measuredOrPrevious(fresh, previous);
  const counts = {
    ...calls.counts,
    deploy: deploy.deploy?.calls ?? null,
    rollback: deploy.rollback?.calls ?? null,
    // The whole mix of ignored events, once each, as the load test delivered it.
    ignored: Math.max(calls.counts.ignored ?? 0, webhook.ignoredMixCalls),
  };
  const results: BenchResults = {
    machine: machineLine(machine),
    date: new Date().toISOString().slice(0, 10),
    apiCalls: {
      ...counts,
      checklistCiRound: ciRound?.round.calls ?? previous?.apiCalls.checklistCiRound ?? null,
    },
    webhook: {
      appP50Ms: webhook.appP50Ms,
      bareP50Ms: webhook.bareP50Ms,
      p50Ratio: webhook.p50Ratio,
      throughputRatio: webhook.throughputRatio,
    },
    changelog: {
      speedupVsKeepAChangelog: changelog.speedupVsKeepAChangelog,
      speedupVsChangelogParser: changelog.speedupVsChangelogParser,
    },
    rollbackToPatchP50Ms: deploy.rollbackToPatchP50Ms,
    peakRssMb: webhook.peakRssMb,
    failures: [],
    details: {
      machine,
      apiCalls: {
        ...calls.details,
        ...(ciRound ? { checklistCiRound: ciRound.round, checklistUntracked: ciRound.untracked } : {}),
        ...(deploy.deploy ? { deploy: deploy.deploy } : {}),
        ...(deploy.rollback ? { rollback: deploy.rollback } : {}),
      },
      apiCallNotes: {
        ...calls.notes,
        deploy: deploy.note,
        rollback: deploy.note,
        ...(ciRound ? { checklistCiRound: ciRound.note } : {}),
      },
      configRereadStatus: calls.configRereadStatus,
      webhookMix: webhook.mix,
      webhook,
      changelog,
      deploy,
      maxRssMbWholeRun: previous
        ? Math.max(previous.details.maxRssMbWholeRun, round(process.resourceUsage().maxRSS / 1024, 1))
        : round(process.resourceUsage().maxRSS / 1024, 1),
      durationSeconds: previous
        ? previous.details.durationSeconds
        : Math.round((performance.now() - started) / 1000),
    },
  };
  results.failures = missedTargets(results);
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeReadmeTable(README, renderTable(results));
  console.log(`\n${renderTable(results)}\nwritten: bench/results.json and the README's Benchmarks table`);
  if (counts.ignored !== 0) {
    console.error(
      `\nBENCH FAILED: events the app does not act on must cost zero API calls; they cost ${counts.ignored}:\n` +
        Object.entries(webhook.callsPerEvent)
          .filter(([, n]) => n > 0)
          .map(([event, n]) => `  ${event}: ${n}`)
          .join("\n"),
    );
    return 1;
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("BENCH FAILED:", error);
    process.exit(1);
  },
);
