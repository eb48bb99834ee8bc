import { readFileSync, writeFileSync } from "node:fs";
import type { BenchResults } from "./results.js";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const figure = (value: number | null | undefined, unit = ""): string =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : `${value}${unit}`;

/** The README's benchmark table, from one run's results: each figure, its target, how it was measured. */
export const renderTable = (r: BenchResults): string => {
  const c = r.apiCalls;
  const w = r.details.webhook;
  const s = r.details.startup;
  const calls = "requests counted at the sandbox GitHub";
  const rows: [string, string, string, string][] = [
    ["`/release`, demo monorepo: API calls", figure(c.release), "≤ 16", calls],
    ["`/release`, 30 services: API calls", figure(c.release30), "—", calls],
    ["Checklist evaluation (one push to the release PR): API calls", figure(c.checklist), "—", calls],
    [
      "One CI round, 100 check runs, 30-project release PR: API calls",
      figure(c.checklistCiRound),
      "≤ 300",
      calls,
    ],
    ["Merge → tag, release, back-merge: API calls", figure(c.ship), "—", calls],
    ["`/deploy staging`: API calls", figure(c.deploy), "—", calls],
    ["`/rollback staging`: API calls", figure(c.rollback), "—", calls],
    [
      "`/deploy staging`: content-creating requests",
      figure(r.writes?.deploy),
      "≤ 8",
      "POST/PATCH/PUT/DELETE at the sandbox",
    ],
    [
      "`/rollback staging`: content-creating requests",
      figure(r.writes?.rollback),
      "≤ 7",
      "POST/PATCH/PUT/DELETE at the sandbox",
    ],
    ["Ignored events (mix, once each): API calls", figure(c.ignored), "0", calls],
    ["Unchanged config re-read: status", figure(r.details.configRereadStatus), "304", "the sandbox's answer"],
    [
      "`/release` with large data files committed: MB committed / bytes sent to the app / app peak RSS / calls",
      r.largeRepo
        ? `${r.largeRepo.mbCommitted} MB / ${r.largeRepo.bytesTransferred} B / ${r.largeRepo.appPeakRssMb} MB / ${r.largeRepo.calls}`
        : "—",
      "< 1 MB / < 200 MB / ≤ 16",
      "app in its own process; bytes at the sandbox, VmHWM of the app",
    ],
    [
      "Webhook p50 ratio, mixed load (app ÷ bare), median [range]",
      `${figure(r.webhook.mixedP50Ratio, "×")} [${w.mixed.p50RatioRange.join("–")}]`,
      "≤ 1.2×",
      `each in its own process, ${w.mixed.rounds.length} alternating rounds at ${w.mixed.rate}/s`,
    ],
    [
      "Webhook p50 / p99 on the mixed load, app vs bare",
      `${figure(w.mixed.appP50Ms, " ms")} / ${figure(w.mixed.appP99Ms, " ms")} vs ${figure(w.mixed.bareP50Ms, " ms")} / ${figure(w.mixed.bareP99Ms, " ms")}`,
      "—",
      "medians of the rounds",
    ],
    [
      "Webhook p50 ratio, ignored deliveries only, median [range]",
      `${figure(r.webhook.p50Ratio, "×")} [${w.ignored.p50RatioRange.join("–")}]`,
      "≤ 1.2×",
      `${w.ignored.rounds.length} alternating rounds at ${w.ignored.rate}/s`,
    ],
    [
      "Webhook throughput ratio, ignored deliveries (app ÷ bare)",
      figure(r.webhook.throughputRatio, "×"),
      "≥ 0.83×",
      `closed loop, ${w.saturation.concurrency} senders`,
    ],
    ["App RSS under the webhook loads", figure(r.appRssMb, " MB"), "—", "VmRSS of the app's process"],
    [
      "Cold start to `/healthz`, app ÷ bare Probot",
      `${figure(r.startup.coldStartRatio, "×")} (${figure(s.appColdStartMs, " ms")} vs ${figure(s.bareColdStartMs, " ms")})`,
      "≤ 1.5×",
      `compiled, each its own process, median of ${s.rounds}`,
    ],
    [
      "Idle RSS, app ÷ bare Probot",
      `${figure(r.startup.idleRssRatio, "×")} (${figure(s.appIdleRssMb, " MB")} vs ${figure(s.bareIdleRssMb, " MB")})`,
      "≤ 1.5×",
      "VmRSS 1.5 s after start",
    ],
    [
      `CHANGELOG speedup vs keep-a-changelog / changelog-parser, ${r.changelog.realistic.sizeKb} KB`,
      `${figure(r.changelog.realistic.speedupVsKeepAChangelog, "×")} / ${figure(r.changelog.realistic.speedupVsChangelogParser, "×")}`,
      "> 1×",
      "best of 50, one process",
    ],
    [
      `CHANGELOG speedup vs keep-a-changelog / changelog-parser, ${r.details.changelog.sizeMb} MB`,
      `${figure(r.changelog.speedupVsKeepAChangelog, "×")} / ${figure(r.changelog.speedupVsChangelogParser, "×")}`,
      "> 1×",
      "best of 3, one process",
    ],
    [
      "`/rollback` comment → cluster patched, p50",
      figure(r.rollbackToPatchP50Ms, " ms"),
      "< 300 ms",
      "median of 5, in-process app",
    ],
    ["Bench process peak RSS (sandbox, validators, load)", figure(r.peakRssMb, " MB"), "—", "not the app"],
  ];
  const failed =
    r.failures.length > 0
      ? `\n**Targets missed in this run:**\n\n${r.failures.map((f) => `- ${f}`).join("\n")}\n`
      : "";
  return [
    `Measured by \`npm run bench\` on ${r.machine} (${r.date}); full figures and how each was measured in \`bench/results.json\`.`,
    `The webhook mix is ${r.details.webhookMix.join(", ")} (ignored) with ${w.acted.join(", ")} (acted on).`,
    "",
    "| Figure | This run | Target | How |",
    "| --- | --- | --- | --- |",
    ...rows.map(([a, b, t, h]) => `| ${a} | ${b} | ${t} | ${h} |`),
    "",
    "Times are against the local sandbox with Octokit's request throttling off. Against GitHub, the",
    "throttling plugin spaces one installation's content-creating requests about 1 s apart (GitHub's",
    "advice against secondary rate limits), so the `/rollback` path reaches the cluster after about",
    "one second per content-creating request before the patch, plus GitHub's latency.",
    failed,
  ].join("\n");
};

/** Rewrites only what lies between the markers; the rest of the README is left alone. */
export const writeReadmeTable = (path: string, table: string): void => {
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${path} has no ${START} … ${END} markers`);
  writeFileSync(path, `${text.slice(0, start + START.length)}\n${table.trim()}\n${text.slice(end)}`);
};
