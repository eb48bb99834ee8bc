import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import type { Logger } from "pino";
import { serveMetrics } from "./adapters/metrics/metrics-route.js";
import type { PrometheusMetrics } from "./adapters/metrics/prometheus.js";
import { createApp, defaultDeps, routes } from "./index.js";
import { handOffRollouts } from "./use-cases/deploy/hand-off.js";
import { resumeDeploys } from "./resume-deploys.js";
import type { AppDeps } from "./handlers/app-deps.js";
import { createLogger } from "./logger.js";
import { createWebhookPrefilter } from "./webhook-prefilter.js";

export interface ServerOptions {
  appId: number | string;
  privateKey: string;
  webhookSecret: string;
  /** GitHub's REST base URL (GitHub Enterprise, or the sandbox). */
  baseUrl?: string;
  port?: number;
  host?: string;
  log?: Logger;
  deps?: AppDeps;
  /** Resume the rollouts a previous run left in progress (default true). */
  resumeDeploys?: boolean;
  /** Octokit class to use (tests turn retries and throttling off). */
  Octokit?: typeof ProbotOctokit;
}

export interface RunningServer {
  url: string;
  webhookUrl: string;
  probot: Probot;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = "/api/github/webhooks";

/**
 * The composition root of the running app: the Probot webhook middleware, `/healthz`, and
 * graceful close (stop taking webhooks, let the ones in flight finish).
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const log = options.log ?? createLogger();
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.webhookSecret,
    log,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  const deps = options.deps ?? defaultDeps();
  deps.appId ??= Number(options.appId);
  const prometheus = "registry" in deps.metrics ? (deps.metrics as PrometheusMetrics) : undefined;
  const middleware = await createNodeMiddleware(createApp(deps), {
    probot,
    webhooksPath: WEBHOOK_PATH,
  });
  const prefilter = createWebhookPrefilter({
    secret: options.webhookSecret,
    path: WEBHOOK_PATH,
    routes,
    metrics: deps.metrics,
  });
  let closing = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(closing ? 503 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: closing ? "stopping" : "ok" }));
      return;
    }
    if (prometheus && req.method === "GET" && path === "/metrics") {
      void serveMetrics(prometheus, req, res);
      return;
    }
    if (closing) {
      res.writeHead(503, { "retry-after": "5" }).end();
      return;
    }
    prefilter(req, res, () => {
      void middleware(req, res, () => {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "not found" }));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject); // EADDRINUSE, EACCES: the caller reports it
    server.listen(options.port ?? 3000, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  const url = `http://${host}:${port}`;
  log.info({ url }, "release-pilot listening");
  if (options.resumeDeploys !== false) resumeDeploys(probot, deps, log);
  return {
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    probot,
    close: async () => {
      closing = true;
      server.closeIdleConnections();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Running rollouts get a bounded time; the unfinished are handed to the next instance.
      if (deps.jobs)
        await handOffRollouts(deps.jobs, deps.deploy?.watches, deps.deploy?.shutdownGraceMs ?? 20_000, log);
      await stopped;
    },
  };
};
