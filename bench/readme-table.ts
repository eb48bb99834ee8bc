import { readFileSync, writeFileSync } from "node:fs";
import type { BenchResults } from "./results.js";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const figure = (value: number | null | undefined, unit = ""): string =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : `${value}${unit}`;

/** The README's benchmark table, from one run's results. */
export const renderTable = (r: BenchResults): string => {
  const c = r.apiCalls;
  const rows: [string, string, string][] = [
    ["`/release`, demo monorepo: API calls", figure(c.release), "≤ 16"],
    ["`/release`, 30 services: API calls", figure(c.release30), "—"],
    ["Checklist evaluation: API calls", figure(c.checklist), "—"],
    ["Merge → tag, release, back-merge: API calls", figure(c.ship), "—"],
    ["`/deploy staging`: API calls", figure(c.deploy), "—"],
    ["`/rollback staging`: API calls", figure(c.rollback), "—"],
    ["Ignored events (mix, once each): API calls", figure(c.ignored), "0"],
    ["Unchanged config re-read: status", figure(r.details.configRereadStatus), "304"],
    [
      "Webhook p50, app / bare Probot",
      `${figure(r.webhook.appP50Ms, " ms")} / ${figure(r.webhook.bareP50Ms, " ms")}`,
      "—",
    ],
    ["Webhook p50 ratio (app ÷ bare)", figure(r.webhook.p50Ratio, "×"), "≤ 1.2×"],
    ["Webhook throughput ratio (app ÷ bare)", figure(r.webhook.throughputRatio, "×"), "≥ 0.83×"],
    ["CHANGELOG speedup vs keep-a-changelog", figure(r.changelog.speedupVsKeepAChangelog, "×"), "> 1×"],
    ["CHANGELOG speedup vs changelog-parser", figure(r.changelog.speedupVsChangelogParser, "×"), "> 1×"],
    ["`/rollback` comment → cluster patched, p50", figure(r.rollbackToPatchP50Ms, " ms"), "< 300 ms"],
    ["Peak RSS under webhook load", figure(r.peakRssMb, " MB"), "—"],
  ];
  const failed =
    r.failures.length > 0
      ? `\n**Targets missed in this run:**\n\n${r.failures.map((f) => `- ${f}`).join("\n")}\n`
      : "";
  return [
    `Measured by \`npm run bench\` on ${r.machine} (${r.date}); full figures in \`bench/results.json\`.`,
    `The CHANGELOG is ${r.details.changelog.sizeMb} MB with ${r.details.changelog.releases} releases; the webhook mix is ${r.details.webhookMix.join(", ")}.`,
    "",
    "| Figure | This run | Target |",
    "| --- | --- | --- |",
    ...rows.map(([a, b, t]) => `| ${a} | ${b} | ${t} |`),
    "",
    "Times are against the local sandbox with Octokit's request throttling off. Against GitHub, the",
    "throttling plugin spaces one installation's content-creating requests about 1 s apart (GitHub's",
    "advice against secondary rate limits), so the `/rollback` path, with three such requests before",
    "the patch (👀, the lock's commit and ref), reaches the cluster after about 2 s plus GitHub's latency.",
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
