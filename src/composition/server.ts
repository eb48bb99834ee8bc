import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import type { Logger } from "pino";
import { createLogger } from "../adapters/log/logger.js";
import { serveMetrics } from "../adapters/metrics/metrics-route.js";
import {
  createWebhookPrefilter,
  GITHUB_PAYLOAD_CAP_BYTES,
  WEBHOOK_BODY_TIMEOUT_MS,
} from "../adapters/http/webhook-prefilter.js";
import { routesReading } from "../handlers/routes.js";
import type { ComposedApp } from "./compose-app.js";
import { scrapeable, startMetrics } from "./deferred-metrics.js";
import { resumeDeploys } from "./resume-installed-repos.js";
import { createBackgroundDeliveries } from "./background-deliveries.js";
import { githubRequestOptions } from "./github-request.js";

export interface ServerOptions {
  appId: number | string;
  privateKey: string;
  webhookSecret: string;
  /** GitHub's REST base URL (GitHub Enterprise, or the sandbox). */
  baseUrl?: string;
  port?: number;
  host?: string;
  log?: Logger;
  /** The app, composed by `composeApp` (src/composition/compose-app.ts). */
  app: ComposedApp;
  /** Resume the rollouts a previous run left in progress (default true). */
  resumeDeploys?: boolean;
  /** Octokit class to use (tests turn retries and throttling off). */
  Octokit?: typeof ProbotOctokit;
  /** Limits that keep the endpoint up under abuse (defaults: `endpointLimits`). */
  limits?: Partial<EndpointLimits>;
}

/**
 * What one client may hold of the server. Node's own defaults (60 s for headers, 300 s for a
 * request, checked every 30 s) let a few hundred slow sockets sit for minutes.
 */
export interface EndpointLimits {
  /** Headers must be complete within this (Node's `server.headersTimeout`). */
  headersTimeoutMs: number;
  /** A whole request must be received within this (Node's `server.requestTimeout`). */
  requestTimeoutMs: number;
  /** How often Node looks for requests over those limits (`connectionsCheckingInterval`). */
  checkIntervalMs: number;
  /** A webhook body must arrive within this once its headers did (see webhook-prefilter.ts). */
  bodyTimeoutMs: number;
  /** The largest webhook body taken (GitHub's 25 MB cap). */
  maxBodyBytes: number;
}

export const endpointLimits: EndpointLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 1_000,
  bodyTimeoutMs: WEBHOOK_BODY_TIMEOUT_MS,
  maxBodyBytes: GITHUB_PAYLOAD_CAP_BYTES,
};

export interface RunningServer {
  url: string;
  webhookUrl: string;
  probot: Probot;
  /**
   * Resolves once the work of every delivery answered so far is done (see
   * background-deliveries.ts); with `jobs`, also the background jobs (checklist evaluations,
   * rollouts) that work started. True when there was any to wait for.
   */
  idle(options?: { jobs?: boolean }): Promise<boolean>;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = "/api/github/webhooks";

/**
 * The running app's HTTP server: the webhook pre-filter and Probot's webhook middleware over the
 * composed app, `/healthz`, `/metrics`, and graceful close (stop taking webhooks, let the ones in
 * flight finish, hand running rollouts over).
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const log = options.log ?? createLogger();
  const limits = { ...endpointLimits, ...options.limits };
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.webhookSecret,
    log,
    // GitHub's requests over node:http(s), never Node's fetch (see github-request.ts).
    request: githubRequestOptions(),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  const { app } = options;
  const { services } = app;
  const prometheus = scrapeable(services.metrics);
  const middleware = await createNodeMiddleware(app.app, {
    probot,
    webhooksPath: WEBHOOK_PATH,
  });
  const deliveries = createBackgroundDeliveries({ probot, routes: app.routes, readings: app.readings, log });
  const prefilter = createWebhookPrefilter({
    secret: options.webhookSecret,
    path: WEBHOOK_PATH,
    routes: routesReading(app.routes),
    takeAccepted: (delivery) => deliveries.take(delivery),
    metrics: services.metrics,
    maxBodyBytes: limits.maxBodyBytes,
    bodyTimeoutMs: limits.bodyTimeoutMs,
  });
  let closing = false;
  // No connection cap (`server.maxConnections`): it is shared by everyone, so whoever opens the
  // most sockets would lock GitHub's deliveries out. Slow sockets are dropped by the timeouts
  // instead, and per-client limits belong to the ingress in front (see docs/kubernetes.md).
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
  const server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
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
  startMetrics(services.metrics, log);
  if (options.resumeDeploys !== false) resumeDeploys(probot, services, log);
  return {
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    probot,
    idle: async (idleOptions) => {
      let waited = false;
      const jobsRunning = async () =>
        idleOptions?.jobs === true && (await services.jobs.settle(0)).length > 0;
      // Work may start jobs, and jobs' calls cause more deliveries: until neither runs.
      while (deliveries.running > 0 || (await jobsRunning())) {
        waited = true;
        await deliveries.idle();
        if (idleOptions?.jobs) await services.jobs.idle();
      }
      return waited;
    },
    close: async () => {
      closing = true;
      server.closeIdleConnections();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // The work of deliveries already answered, then running rollouts, share one bounded grace;
      // the unfinished rollouts are handed to the next instance.
      const grace = services.instance.shutdownGraceMs;
      const started = performance.now();
      // Jobs that only wait (for another instance's claim) end at once, as before.
      services.jobs.stop();
      const unfinished = await deliveries.settle(grace);
      if (unfinished.length > 0) log.warn({ unfinished }, "stopping with webhook work unfinished");
      const left = Math.max(0, grace - (performance.now() - started));
      const { handOffRollouts } = await import("../use-cases/deploy/hand-off.js");
      await handOffRollouts(services.jobs, services.watches, left, log);
      await stopped;
    },
  };
};
