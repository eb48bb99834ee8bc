import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApiCallFigures, benchApiCalls } from "./api-calls.js";
import { benchChangelog, type ChangelogFigures } from "./changelog-bench.js";
import { benchChecklistCiRound } from "./checklist-ci-round.js";
import { benchDeploy, type DeployFigures } from "./deploy-bench.js";
import { benchLargeRepo, largeRepoMissed } from "./large-repo.js";
import { describeMachine, machineLine } from "./machine.js";
import { writeReadmeTable, renderTable } from "./readme-table.js";
import type { BenchResults } from "./results.js";
import { benchStartup, type StartupFigures } from "./startup.js";
import { round } from "./stats.js";
import { benchWebhooks, type WebhookFigures } from "./webhook-overhead.js";
import { benchWrites, writesMissed } from "./writes.js";

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
  const atMost = (value: number | null | undefined, target: number, what: string, unit = "") => {
    if (value !== null && value !== undefined && value > target)
      missed.push(`${what} is ${value}${unit} (target ≤ ${target}${unit})`);
  };
  if (r.apiCalls.ignored !== 0)
    missed.push(`ignored events made ${r.apiCalls.ignored} API call(s) (target 0)`);
  atMost(r.apiCalls.release, 16, "/release's API calls");
  atMost(r.apiCalls.checklistCiRound, 300, "one CI round on a 30-project release PR's API calls");
  atMost(r.webhook.mixedP50Ratio, 1.2, "the webhook p50 on the mixed load, app ÷ bare,", "×");
  atMost(r.webhook.p50Ratio, 1.2, "the webhook p50 on ignored deliveries, app ÷ bare,", "×");
  if (r.webhook.throughputRatio < 1 / 1.2)
    missed.push(`webhook throughput is ${r.webhook.throughputRatio}× the bare app's (target ≥ 0.83×)`);
  // The one absolute figure, set by the deploy issue: an emergency rollback reaches the cluster fast.
  atMost(
    r.rollbackToPatchP50Ms !== null ? r.rollbackToPatchP50Ms : null,
    299.99,
    "/rollback → patch p50",
    " ms",
  );
  atMost(r.startup.coldStartRatio, 1.5, "cold start, app ÷ bare Probot,", "×");
  atMost(r.startup.idleRssRatio, 1.5, "idle RSS, app ÷ bare Probot,", "×");
  missed.push(...largeRepoMissed(r.largeRepo ?? undefined), ...writesMissed(r.writes ?? undefined));
  if (r.changelog.speedupVsKeepAChangelog < 1)
    missed.push("CHANGELOG engine slower than keep-a-changelog (large)");
  if (r.changelog.speedupVsChangelogParser < 1)
    missed.push("CHANGELOG engine slower than changelog-parser (large)");
  return missed;
};

/** The parts of the bench; `--only webhook,changelog` runs those and keeps the others' figures. */
const PARTS = ["changelog", "api-calls", "deploy", "webhook", "startup", "large-repo"] as const;
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
  changelogRealistic: ChangelogFigures;
  calls: ApiCallFigures;
  deploy: DeployFigures;
  webhook: WebhookFigures;
  startup: StartupFigures;
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
    changelogRealistic: fresh.changelogRealistic ?? p?.changelogRealistic ?? missing("changelog"),
    calls: fresh.calls ?? (previous ? previousCalls(previous) : missing("api-calls")),
    deploy: fresh.deploy ?? p?.deploy ?? missing("deploy"),
    webhook: fresh.webhook ?? p?.webhook ?? missing("webhook"),
    startup: fresh.startup ?? p?.startup ?? missing("startup"),
  };
};

const speedups = (c: ChangelogFigures) => ({
  speedupVsKeepAChangelog: c.speedupVsKeepAChangelog,
  speedupVsChangelogParser: c.speedupVsChangelogParser,
});

const main = async (): Promise<number> => {
  const started = performance.now();
  const parts = selectedParts(process.argv.slice(2));
  const previous =
    parts.size < PARTS.length ? (JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults) : undefined;
  const machine = describeMachine();
  console.log(`release-pilot bench on ${machineLine(machine)}\n`);
  const fresh: Partial<Measured> = {};
  if (parts.has("changelog")) {
    fresh.changelog = await step(
      "CHANGELOG engine vs keep-a-changelog and changelog-parser, 3,000 releases",
      () => benchChangelog(3000, 3),
    );
    fresh.changelogRealistic = await step("the same on a CHANGELOG of 20 releases", () =>
      benchChangelog(20, 50),
    );
  }
  if (parts.has("api-calls"))
    fresh.calls = await step("API calls per operation (sandbox GitHub)", () => benchApiCalls());
  const ciRound = parts.has("api-calls")
    ? await step("checklist: one CI round, 30 projects × 100 check runs", () => benchChecklistCiRound())
    : undefined;
  if (parts.has("deploy"))
    fresh.deploy = await step("/deploy and /rollback (sandbox GitHub + fake cluster)", () => benchDeploy(5));
  if (parts.has("webhook"))
    fresh.webhook = await step("webhook overhead vs a bare Probot app, each in its own process", () =>
      benchWebhooks({ rounds: 5 }),
    );
  if (parts.has("startup"))
    fresh.startup = await step("cold start and idle RSS vs a bare Probot app (compiled)", () =>
      benchStartup(5),
    );
  const { changelog, changelogRealistic, calls, deploy, webhook, startup } = measuredOrPrevious(
    fresh,
    previous,
  );
  const largeRepo = parts.has("large-repo")
    ? await step("/release with 300 MB of data files, the app in its own process", () => benchLargeRepo(300))
    : (previous?.largeRepo ?? null);
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
      mixedP50Ratio: webhook.mixedP50Ratio,
      mixedP99Ratio: webhook.mixed.p99Ratio,
      throughputRatio: webhook.throughputRatio,
    },
    changelog: {
      ...speedups(changelog),
      realistic: { sizeKb: round(changelogRealistic.sizeMb * 1024, 1), ...speedups(changelogRealistic) },
    },
    rollbackToPatchP50Ms: deploy.rollbackToPatchP50Ms,
    appRssMb: webhook.appRssMb,
    startup: { coldStartRatio: startup.coldStartRatio, idleRssRatio: startup.idleRssRatio },
    largeRepo,
    writes: benchWrites(deploy),
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
      changelogRealistic,
      deploy,
      startup,
      how: {
        apiCalls: "requests the app made, counted at the sandbox GitHub's HTTP layer (bench/api-calls.ts)",
        webhook: webhook.how,
        appRssMb: "highest VmRSS of the app's process sampled every 25 ms under the webhook loads",
        startup: startup.how,
        changelog:
          "best of N runs in one process: parse, release Unreleased, rewrite links (ours) vs parse only (peers)",
        rollbackToPatchP50Ms:
          "comment delivered → the fake cluster received the patch, median of 5 (bench/deploy-bench.ts)",
        largeRepo:
          "bench/large-repo.ts: data files committed to the sample monorepo, /release with the app in its own process; response bytes at the sandbox, VmHWM of the app",
        writes:
          "POST/PATCH/PUT/DELETE of /deploy and /rollback, less installation tokens and GraphQL reads (bench/writes.ts)",
        peakRssMb: "the bench process itself (sandbox GitHub, webhook-schema validators, load generator)",
      },
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
