/**
 * Webhook overhead of the app against a bare Probot app, each in its own process (the app as the
 * process tests run it, sandbox/harness/app-process.ts; the baseline bench/bare-app.mjs), with
 * the sandbox GitHub and the load generator in this process. Two loads:
 *
 * - **mixed**: what a busy repository sends — deliveries the app ignores (pushes, plain comments,
 *   a non-release PR's events, check suites) and deliveries it acts on (a `/help` comment, CI's
 *   `check_run.completed` on a release PR), signed as GitHub signs them;
 * - **ignored**: the ignored deliveries alone (the pre-filter's path), as before.
 *
 * Each is run in alternating A/B rounds (who goes first alternates), and the figures are the
 * medians of the rounds with their ranges. The app's memory is its own process's (VmRSS).
 */
import { SAMPLE_NAME, SAMPLE_OWNER } from "../sandbox/sample/sample-repo.js";
import { reportCi } from "../sandbox/sample/ci.js";
import { type GitHubSandbox, startGitHubSandbox } from "../sandbox/github/index.js";
import { seedSample, settledWithApp, WEBHOOK_SECRET } from "../sandbox/harness/e2e.js";
import { startAppProcess } from "../sandbox/harness/app-process.js";
import { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { appRequests } from "./api-calls.js";
import { closeAgent, type LoadResult, paced, saturate, type SignedEvent, signEvent } from "./load.js";
import { processMemoryMb, sampleProcessRss, startBareApp } from "./processes.js";
import { median, range, round } from "./stats.js";
import { buildApp } from "./startup.js";

export interface LoadRounds {
  /** deliveries a second, seconds per side per round */
  rate: number;
  seconds: number;
  rounds: { first: "app" | "bare"; app: LoadResult; bare: LoadResult }[];
  appP50Ms: number;
  bareP50Ms: number;
  appP99Ms: number;
  bareP99Ms: number;
  /** Median over the rounds of each round's app p50 ÷ bare p50, and the range of those ratios. */
  p50Ratio: number;
  p50RatioRange: [number, number];
  p99Ratio: number;
}

export interface WebhookFigures {
  /** Event kinds of the ignored deliveries, and of those the app acts on. */
  mix: string[];
  acted: string[];
  mixed: LoadRounds;
  ignored: LoadRounds;
  saturation: { concurrency: number; seconds: number; app: LoadResult[]; bare: LoadResult[] };
  appP50Ms: number;
  bareP50Ms: number;
  /** The ignored-only figures (the pre-filter's path), kept beside the mixed ones. */
  p50Ratio: number;
  mixedP50Ratio: number;
  throughputRatio: number;
  /** API calls each kind of ignored event caused, delivered once (target: all zero). */
  callsPerEvent: Record<string, number>;
  ignoredMixCalls: number;
  apiCallsDuringLoad: number;
  /** Of those, answered 304 Not Modified (conditional: free against GitHub's primary rate limit). */
  conditionalDuringLoad: number;
  /** The app process alone under the mixed load: highest VmRSS sampled, and its VmHWM. */
  appRssMb: number;
  appPeakRssMb: number;
  bareRssMb: number;
  /** This bench process (sandbox GitHub, its schema validators, the load generator). */
  peakRssMb: number;
  how: string;
}

const keyOf = (event: SignedEvent): string =>
  `${event.event}.${(JSON.parse(event.body) as { action?: string }).action ?? ""}`.replace(/\.$/, "");

const since = (sandbox: GitHubSandbox, first: number, wanted: (event: string, payload: unknown) => boolean) =>
  sandbox.deliveries
    .slice(first)
    .filter((d) => wanted(d.event, d.payload))
    .map((d) => signEvent(d.event, d.payload, WEBHOOK_SECRET));

/**
 * Deliveries the app does not act on, as the sandbox GitHub sent them: comments that are not
 * commands, a push and its check suite, a non-release PR opened, updated and merged.
 */
const captureIgnored = async (sandbox: GitHubSandbox, repo: string): Promise<SignedEvent[]> => {
  const first = sandbox.deliveries.length;
  const issue = await sandbox.openIssue(repo, "developer", { title: "How do I run the API locally?" });
  sandbox.comment(repo, issue, "developer", "LGTM, thanks! Merging after CI.");
  sandbox.comment(repo, issue, "reader", "Any update on this? See the docs /api/v1 for details.");
  await sandbox.pushCommit(repo, "developer", "feature/docs", "docs: explain the API", {
    "docs/api.md": "# API\n",
  });
  const pull = await sandbox.openPullRequest(repo, "developer", {
    head: "feature/docs",
    base: "develop",
    title: "docs: explain the API",
  });
  await sandbox.pushCommit(repo, "developer", "feature/docs", "docs: typo", { "docs/api.md": "# The API\n" });
  await sandbox.settled({ timeoutMs: 60_000 });
  await sandbox.mergePullRequest(repo, pull, "maintainer");
  await sandbox.settled({ timeoutMs: 60_000 });
  const wanted = new Set([
    "issue_comment",
    "push",
    "pull_request",
    "check_suite",
    "issues",
    "create",
    "delete",
  ]);
  return since(sandbox, first, (event) => wanted.has(event));
};

/**
 * Deliveries the app acts on: a `/help` comment, and CI's two check runs completing on the
 * release PR's head (the checklist's tests and integration gates read them).
 */
const captureActed = async (sandbox: GitHubSandbox, repo: string): Promise<SignedEvent[]> => {
  const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
  sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
  await sandbox.settled({ timeoutMs: 120_000 });
  const branch = "release/v1.2.0";
  const sha = await sandbox.getRef(repo, `heads/${branch}`);
  if (!sha) throw new Error(`bench: /release did not cut ${branch}`);
  const first = sandbox.deliveries.length;
  sandbox.comment(repo, issue, "developer", "/help");
  await reportCi(sandbox, repo, {
    sha,
    branch,
    coverage: {
      "BankChurn-Predictor": 0.82,
      "CarVision-Market-Intelligence": 0.81,
      "TelecomAI-Customer-Intelligence": 0.8,
    },
  });
  await sandbox.settled({ timeoutMs: 120_000 });
  const acted = since(
    sandbox,
    first,
    (event, payload) =>
      (event === "issue_comment" && (payload as { comment?: { body?: string } }).comment?.body === "/help") ||
      (event === "check_run" &&
        (payload as { action?: string }).action === "completed" &&
        ["tests", "integration-tests"].includes(
          (payload as { check_run?: { name?: string } }).check_run?.name ?? "",
        )),
  );
  if (acted.length !== 3)
    throw new Error(`bench: expected 3 deliveries the app acts on, captured ${acted.length}`);
  return acted;
};

/** Alternating A/B rounds of the paced (open-loop) load, medians and ranges. */
const rounds = async (
  appUrl: string,
  bareUrl: string,
  mix: SignedEvent[],
  rate: number,
  seconds: number,
  count: number,
  between: () => Promise<void> = async () => undefined,
): Promise<LoadRounds> => {
  const done: LoadRounds["rounds"] = [];
  for (let i = 0; i < count; i++) {
    const first = i % 2 === 0 ? "app" : "bare";
    const run = async (url: string) => (await between(), await paced(url, mix, rate, seconds));
    const a = first === "app" ? await run(appUrl) : undefined;
    const bare = await run(bareUrl);
    const app = a ?? (await run(appUrl));
    done.push({ first, app, bare });
  }
  const ratios = done.map((r) => r.app.p50Ms / r.bare.p50Ms);
  return {
    rate,
    seconds,
    rounds: done,
    appP50Ms: round(median(done.map((r) => r.app.p50Ms)), 3),
    bareP50Ms: round(median(done.map((r) => r.bare.p50Ms)), 3),
    appP99Ms: round(median(done.map((r) => r.app.p99Ms)), 3),
    bareP99Ms: round(median(done.map((r) => r.bare.p99Ms)), 3),
    p50Ratio: round(median(ratios)),
    p50RatioRange: range(ratios).map((x) => round(x)) as [number, number],
    p99Ratio: round(median(done.map((r) => r.app.p99Ms / r.bare.p99Ms))),
  };
};

export interface WebhookBenchOptions {
  rounds?: number;
  /** Mixed load: deliveries a second and seconds per side per round. */
  mixedRate?: number;
  ignoredRate?: number;
  seconds?: number;
}

export const benchWebhooks = async (options: WebhookBenchOptions = {}): Promise<WebhookFigures> => {
  const { rounds: count = 5, mixedRate = 10, ignoredRate = 100, seconds = 3 } = options;
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({ webhook: target });
  const repo = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;
  // The app as it ships (compiled, plain `node`), as the bare app runs: no loader on either side.
  buildApp();
  const app = await startAppProcess({
    sandboxUrl: sandbox.url,
    instance: "bench",
    env: { LOG_LEVEL: "warn" },
    compiled: true,
    ...(process.env.BENCH_APP_NODE_ARGS ? { nodeArgs: process.env.BENCH_APP_NODE_ARGS.split(" ") } : {}),
  });
  // The app answers a delivery it acts on before its work: settled() waits for that work too,
  // and the checklist evaluations it started (no rollouts here).
  settledWithApp(sandbox, () => [{ idle: () => app.idle({ jobs: true }) }]);
  const bare = await startBareApp();
  try {
    target.url = app.webhookUrl;
    await seedSample(sandbox, new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url }));
    await sandbox.settled({ timeoutMs: 60_000 });
    const ignoredMix = await captureIgnored(sandbox, repo);
    const acted = await captureActed(sandbox, repo);

    // Each ignored delivery once, one at a time, through the app alone: it must cost nothing.
    const perEvent: Record<string, number> = {};
    for (const event of ignoredMix) {
      sandbox.resetRequests();
      await saturate(app.webhookUrl, [event], 1, 10, 1);
      await sandbox.settled();
      perEvent[keyOf(event)] = (perEvent[keyOf(event)] ?? 0) + appRequests(sandbox.requests).length;
    }
    sandbox.resetRequests();

    // The mixed cycle: every ignored delivery, with the acted-on ones spread through it.
    const step = Math.max(1, Math.floor(ignoredMix.length / acted.length));
    const mixed = ignoredMix.flatMap((event, i) =>
      i % step === 0 && acted[i / step] ? [event, acted[i / step]!] : [event],
    );
    // Warm-up of both processes (JIT, sockets, the app's caches).
    for (const url of [app.webhookUrl, bare.webhookUrl]) await saturate(url, mixed, 4, 2);
    // The work the warm-up's acted-on deliveries started is done before anything is measured.
    await sandbox.settled({ timeoutMs: 120_000 });

    const appRss = sampleProcessRss(app.pid);
    const bareRss = sampleProcessRss(bare.pid);
    const ignoredRounds = await rounds(app.webhookUrl, bare.webhookUrl, ignoredMix, ignoredRate, 2, 3);
    const concurrency = 16;
    const satApp: LoadResult[] = [];
    const satBare: LoadResult[] = [];
    for (let i = 0; i < 2; i++) {
      if (i % 2 === 0) satApp.push(await saturate(app.webhookUrl, ignoredMix, concurrency, seconds));
      satBare.push(await saturate(bare.webhookUrl, ignoredMix, concurrency, seconds));
      if (i % 2 === 1) satApp.push(await saturate(app.webhookUrl, ignoredMix, concurrency, seconds));
    }
    // Last, as its work outlasts the load: each round starts once the previous one's work is done.
    const mixedRounds = await rounds(app.webhookUrl, bare.webhookUrl, mixed, mixedRate, seconds, count, () =>
      sandbox.settled({ timeoutMs: 120_000 }),
    );
    const appRssMb = appRss.stop();
    const bareRssMb = bareRss.stop();
    const appPeak = processMemoryMb(app.pid)?.peak ?? Number.NaN;
    await sandbox.settled({ timeoutMs: 120_000 });
    const during = appRequests(sandbox.requests);
    const all = [
      ...mixedRounds.rounds.flatMap((r) => [r.app, r.bare]),
      ...ignoredRounds.rounds.flatMap((r) => [r.app, r.bare]),
      ...satApp,
      ...satBare,
    ];
    const failed = all.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) throw new Error(`BENCH FAILED: ${failed} deliveries were not answered 2xx`);
    const throughput = (results: LoadResult[]) => median(results.map((r) => r.throughputPerSec));
    return {
      mix: [...new Set(ignoredMix.map((m) => m.event))],
      acted: acted.map(keyOf),
      mixed: mixedRounds,
      ignored: ignoredRounds,
      saturation: { concurrency, seconds, app: satApp, bare: satBare },
      appP50Ms: ignoredRounds.appP50Ms,
      bareP50Ms: ignoredRounds.bareP50Ms,
      p50Ratio: ignoredRounds.p50Ratio,
      mixedP50Ratio: mixedRounds.p50Ratio,
      throughputRatio: round(throughput(satApp) / throughput(satBare)),
      callsPerEvent: perEvent,
      ignoredMixCalls: Object.values(perEvent).reduce((a, b) => a + b, 0),
      apiCallsDuringLoad: during.length,
      conditionalDuringLoad: during.filter((r) => r.status === 304).length,
      appRssMb: round(appRssMb, 1),
      appPeakRssMb: round(appPeak, 1),
      bareRssMb: round(bareRssMb, 1),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      how:
        `app (compiled lib/ under plain node, sandbox/harness/app-main-compiled.mjs, Octokit throttling off) and bare Probot (bench/bare-app.mjs) each in ` +
        `its own process, sandbox GitHub and load generator in the bench process; mixed load ${mixedRate}/s ` +
        `(${mixed.length}-delivery cycle, ${acted.length} acted on), ignored load ${ignoredRate}/s; ` +
        `${count} and 3 alternating A/B rounds, medians; p50/p99 per round; RSS from /proc/<pid>/status`,
    };
  } finally {
    closeAgent();
    await bare.stop();
    await app.stop("SIGKILL");
    await sandbox.close();
  }
};
