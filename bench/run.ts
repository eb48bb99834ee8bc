import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchApiCalls } from "./api-calls.js";
import { benchChangelog } from "./changelog-bench.js";
import { benchDeploy } from "./deploy-bench.js";
import { describeMachine, machineLine } from "./machine.js";
import { writeReadmeTable, renderTable } from "./readme-table.js";
import type { BenchResults } from "./results.js";
import { round } from "./stats.js";
import { benchWebhooks } from "./webhook-overhead.js";

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const README = fileURLToPath(new URL("../README.md", import.meta.url));

const step = async <T>(title: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  process.stdout.write(`· ${title} … `);
  const value = await run();
  console.log(`${Math.round((performance.now() - started) / 1000)} s`);
  return value;
};

/** Targets are counts and ratios, never absolute times: those depend on the machine. */
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
  if (r.changelog.speedupVsKeepAChangelog < 1) missed.push("CHANGELOG engine slower than keep-a-changelog");
  if (r.changelog.speedupVsChangelogParser < 1) missed.push("CHANGELOG engine slower than changelog-parser");
  return missed;
};

const main = async (): Promise<number> => {
  const started = performance.now();
  const machine = describeMachine();
  console.log(`release-pilot bench on ${machineLine(machine)}\n`);
  const changelog = await step("CHANGELOG engine vs keep-a-changelog and changelog-parser", () =>
    benchChangelog(3000, 3),
  );
  const calls = await step("API calls per operation (sandbox GitHub)", () => benchApiCalls());
  const deploy = await step("/deploy and /rollback (sandbox GitHub + fake cluster)", () => benchDeploy(5));
  const webhook = await step("webhook overhead vs a bare Probot app", () =>
    benchWebhooks([50, 100, 200, 400], 3),
  );
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
    apiCalls: counts,
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
        ...(deploy.deploy ? { deploy: deploy.deploy } : {}),
        ...(deploy.rollback ? { rollback: deploy.rollback } : {}),
      },
      apiCallNotes: { ...calls.notes, deploy: deploy.note, rollback: deploy.note },
      configRereadStatus: calls.configRereadStatus,
      webhookMix: webhook.mix,
      webhook,
      changelog,
      deploy,
      maxRssMbWholeRun: round(process.resourceUsage().maxRSS / 1024, 1),
      durationSeconds: Math.round((performance.now() - started) / 1000),
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
