import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { WEBHOOK_PATH } from "../src/composition/server.js";
import { type EndToEnd, startEndToEnd, WEBHOOK_SECRET } from "../sandbox/harness/e2e.js";
import { testPrivateKey } from "../sandbox/harness/keys.js";
import type { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { appRequests } from "./api-calls.js";
import { closeAgent, type LoadResult, paced, saturate, type SignedEvent, signEvent } from "./load.js";
import { round } from "./stats.js";

export interface WebhookFigures {
  mix: string[];
  /** Per rate (deliveries a second): the app's and the bare app's latency and throughput. */
  steps: { rate: number; app: LoadResult; bare: LoadResult }[];
  saturation: { concurrency: number; app: LoadResult; bare: LoadResult };
  appP50Ms: number;
  bareP50Ms: number;
  p50Ratio: number;
  throughputRatio: number;
  /** API calls each kind of event of the mix caused, delivered once (target: all zero). */
  callsPerEvent: Record<string, number>;
  ignoredMixCalls: number;
  apiCallsDuringLoad: number;
  /** Of those, answered 304 Not Modified (conditional: free against GitHub's primary rate limit). */
  conditionalDuringLoad: number;
  peakRssMb: number;
}

/** A Probot app with no handlers at all, behind the same middleware and secret. */
const startBareApp = async (): Promise<{ url: string; server: Server }> => {
  const probot = new Probot({
    appId: 777,
    privateKey: testPrivateKey(),
    secret: WEBHOOK_SECRET,
    log: pino({ level: "silent" }),
  });
  const middleware = await createNodeMiddleware(() => undefined, { probot, webhooksPath: WEBHOOK_PATH });
  const server = createServer((req, res) => void middleware(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`, server };
};

/**
 * The realistic mix of events the app does not act on, as the sandbox GitHub delivered them:
 * comments that are not commands, a push and its check suite, a non-release PR opened,
 * updated and merged, another app's check suite completing. Each is checked to cost nothing.
 */
const captureMix = async (e2e: EndToEnd): Promise<SignedEvent[]> => {
  const { sandbox, repo } = e2e;
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
  await sandbox.settled();
  await sandbox.mergePullRequest(repo, pull, "maintainer");
  await sandbox.settled();
  const wanted = new Set([
    "issue_comment",
    "push",
    "pull_request",
    "check_suite",
    "issues",
    "create",
    "delete",
  ]);
  return sandbox.deliveries
    .slice(first)
    .filter((d) => wanted.has(d.event))
    .map((d) => signEvent(d.event, d.payload, WEBHOOK_SECRET));
};

const sampleRss = () => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  return { stop: () => (clearInterval(timer), peak) };
};

/** Signed webhooks at increasing rates against the app and a bare Probot app, in one run. */
export const benchWebhooks = async (
  rates = [100, 200, 400, 800],
  secondsPerStep = 3,
): Promise<WebhookFigures> => {
  // The production Octokit (no OpenAPI checks of each exchange, unlike the tests' Octokit).
  const e2e = await startEndToEnd({ Octokit: ProbotOctokit as typeof TestOctokit });
  const bare = await startBareApp();
  try {
    const mix = await captureMix(e2e);
    // The mix delivered once, one event at a time, through the app alone: it must cost nothing.
    const perEvent: Record<string, number> = {};
    for (const event of mix) {
      e2e.sandbox.resetRequests();
      await saturate(e2e.app.webhookUrl, [event], 1, 10, 1);
      await e2e.sandbox.settled();
      const calls = appRequests(e2e.sandbox.requests).length;
      const key = `${event.event}.${(JSON.parse(event.body) as { action?: string }).action ?? ""}`.replace(
        /\.$/,
        "",
      );
      perEvent[key] = (perEvent[key] ?? 0) + calls;
    }
    e2e.sandbox.resetRequests();
    // Warm-up of both servers (JIT, sockets), then the measured steps, alternating who goes first.
    await saturate(e2e.app.webhookUrl, mix, 8, 2);
    await saturate(bare.url, mix, 8, 2);
    const rss = sampleRss();
    const steps: WebhookFigures["steps"] = [];
    for (const [i, rate] of rates.entries()) {
      const run = (url: string) => paced(url, mix, rate, secondsPerStep);
      let app: LoadResult;
      let bareResult: LoadResult;
      if (i % 2 === 0) {
        app = await run(e2e.app.webhookUrl);
        bareResult = await run(bare.url);
      } else {
        bareResult = await run(bare.url);
        app = await run(e2e.app.webhookUrl);
      }
      steps.push({ rate, app, bare: bareResult });
    }
    const concurrency = 16;
    const satApp = await saturate(e2e.app.webhookUrl, mix, concurrency, secondsPerStep * 2);
    const satBare = await saturate(bare.url, mix, concurrency, secondsPerStep * 2);
    const peak = rss.stop();
    await e2e.sandbox.settled();
    const during = appRequests(e2e.sandbox.requests);
    const failed = [...steps.flatMap((s) => [s.app, s.bare]), satApp, satBare].reduce(
      (n, r) => n + r.failed,
      0,
    );
    if (failed > 0) throw new Error(`BENCH FAILED: ${failed} deliveries were not answered 2xx`);
    // Unloaded latency: the lowest rate; capacity: the closed loop.
    const low = steps[0]!;
    return {
      mix: [...new Set(mix.map((m) => m.event))],
      steps,
      saturation: { concurrency, app: satApp, bare: satBare },
      appP50Ms: low.app.p50Ms,
      bareP50Ms: low.bare.p50Ms,
      p50Ratio: round(low.app.p50Ms / low.bare.p50Ms),
      throughputRatio: round(satApp.throughputPerSec / satBare.throughputPerSec),
      callsPerEvent: perEvent,
      ignoredMixCalls: Object.values(perEvent).reduce((a, b) => a + b, 0),
      apiCallsDuringLoad: during.length,
      conditionalDuringLoad: during.filter((r) => r.status === 304).length,
      peakRssMb: round(peak / 1024 ** 2, 1),
    };
  } finally {
    closeAgent();
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
    await e2e.close();
  }
};
