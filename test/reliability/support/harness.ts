import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { httpProbe } from "../../../src/adapters/jobs/http-probe.js";
import { JobTracker } from "../../../src/adapters/jobs/job-tracker.js";
import { createPrometheusMetrics } from "../../../src/adapters/metrics/prometheus.js";
import { type ComposedApp, composeApp } from "../../../src/composition/compose-app.js";
import { settingsFromEnv } from "../../../src/composition/settings.js";
import { routes } from "../../../src/index.js";
import { staticClusterProvider } from "../../../src/ports/cluster-provider.js";
import type { Clock } from "../../../src/ports/clock.js";
import { type RunningServer, startServer } from "../../../src/composition/server.js";
import { SAMPLE_REPO } from "../../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../../sandbox/github/index.js";
import {
  sandboxOperatorSettings,
  seedSample,
  settledWithApp,
  WEBHOOK_SECRET,
} from "../../../sandbox/harness/e2e.js";
import { testPrivateKey } from "../../../sandbox/harness/keys.js";
import { TestOctokit } from "../../../sandbox/harness/test-octokit.js";

export interface Reliability {
  sandbox: GitHubSandbox;
  /** One or more app servers, each with its own dependencies (caches, metrics), on one sandbox. */
  apps: RunningServer[];
  repo: string;
  admin: InstanceType<typeof TestOctokit>;
  /**
   * Wait for the webhooks, the work of each (run after its answer), the background jobs they
   * started (CI completions are evaluated in one), and the webhooks those caused.
   */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface ReliabilityOptions {
  instances?: number;
  Octokit?: typeof TestOctokit;
  clock?: Clock;
}

/** Forwards each signed delivery, byte for byte, to every app at once; answers the first status. */
const startFanOut = async (targets: () => string[]): Promise<Server> => {
  const forward = (url: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<number>((resolve) => {
      const req = request(url, { method: "POST", headers, agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.end(body);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      void Promise.all(targets().map((url) => forward(url, req.headers, body))).then((statuses) => {
        res.writeHead(statuses[0] ?? 502).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
};

/**
 * One app instance, composed by production's composition root as sandbox/harness/e2e.ts does it
 * (no cluster), each with its own services (caches, metrics, jobs).
 */
const composeInstance = async (
  clock: Clock,
  instance: string,
): Promise<{ app: ComposedApp; jobs: JobTracker }> => {
  const jobs = new JobTracker({ error: (fields, message) => console.error(message, fields) });
  const operator = sandboxOperatorSettings();
  const settings = await settingsFromEnv({});
  const app = composeApp(routes, settings, {
    clock,
    clusters: staticClusterProvider({}),
    jobs,
    metrics: createPrometheusMetrics({ processMetrics: false }),
    probe: httpProbe(operator.outbound, 2000),
    smokePollMs: 20,
    instance: { ...settings.instance, instance },
    operator,
    appId: 777,
  });
  return { app, jobs };
};

/**
 * The sandbox GitHub with the sample monorepo and `instances` real app servers behind one
 * webhook address (a fan-out proxy when there are several, as with two replicas of the app).
 */
export const startReliability = async (options: ReliabilityOptions = {}): Promise<Reliability> => {
  const clock = options.clock ?? { now: () => new Date("2025-01-15T10:00:00Z") };
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({ webhook: target, now: () => clock.now() });
  const apps: RunningServer[] = [];
  const jobs: JobTracker[] = [];
  for (let i = 0; i < (options.instances ?? 1); i++) {
    const wired = await composeInstance(clock, `reliability-${i}`);
    jobs.push(wired.jobs);
    apps.push(
      await startServer({
        appId: 777,
        privateKey: testPrivateKey(),
        webhookSecret: WEBHOOK_SECRET,
        baseUrl: sandbox.url,
        port: 0,
        host: "127.0.0.1",
        log: pino({ level: process.env.E2E_LOG ?? "silent" }),
        app: wired.app,
        Octokit: options.Octokit ?? TestOctokit,
      }),
    );
  }
  let fanOut: Server | undefined;
  if (apps.length > 1) {
    fanOut = await startFanOut(() => apps.map((a) => a.webhookUrl));
    target.url = `http://127.0.0.1:${(fanOut.address() as AddressInfo).port}/`;
  } else {
    target.url = apps[0]!.webhookUrl;
  }
  settledWithApp(sandbox, () => apps);
  const admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  await seedSample(sandbox, admin);
  await sandbox.settled({ timeoutMs: 60_000 });
  sandbox.resetRequests();
  return {
    sandbox,
    apps,
    repo: SAMPLE_REPO,
    admin,
    settle: async (settleOptions) => {
      await sandbox.settled(settleOptions);
      for (const job of jobs) await job.idle();
      await sandbox.settled(settleOptions);
    },
    close: async () => {
      for (const job of jobs) await job.idle();
      for (const app of apps) await app.close();
      if (fanOut) await new Promise<void>((resolve) => fanOut.close(() => resolve()));
      await sandbox.close();
    },
  };
};

/** The bot's own requests to the API since the last reset (token requests included). */
export const appCalls = (sandbox: GitHubSandbox) =>
  sandbox.requests.filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/"));

/**
 * Waits until `done()` holds (then for the sandbox to settle): for flows whose end is known,
 * since a handler slower than Probot's 9 s answer window is still running when its delivery
 * already looks finished.
 */
export const waitFor = async (
  sandbox: GitHubSandbox,
  done: () => boolean,
  timeoutMs = 60_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await sandbox.settled({ timeoutMs });
};

/** The bot answered a comment: its final 🚀 or 😕 is there. */
export const answered = (sandbox: GitHubSandbox, repo: string, issue: number, commentId: number) => () =>
  (sandbox.issue(repo, issue).comments.find((c) => c.id === commentId)?.reactions ?? []).some(
    (r) => r.content === "rocket" || r.content === "confused",
  );
