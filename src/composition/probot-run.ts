import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { serveMetrics } from "../adapters/metrics/metrics-route.js";
import type { Route } from "../handlers/routes.js";
import { composeApp } from "./compose-app.js";
import { scrapeable, startMetrics } from "./deferred-metrics.js";
import { resumeDeploys } from "./resume-installed-repos.js";
import { type Env, settingsFromEnv } from "./settings.js";

/**
 * The app as `npx probot run ./lib/index.js` loads it (Probot's own way to run an app): the same
 * routes, `GET /healthz` and `GET /metrics` through Probot's `addHandler`, and the resume of
 * rollouts a previous run left in progress. The app is composed when Probot loads it, after it
 * has read `.env`. `npm start` (src/main.ts) is the production way: it adds the webhook
 * pre-filter and the graceful stop that hands rollouts over on SIGTERM.
 */
export const probotRunApp =
  (routes: readonly Route[], env: Env) =>
  async (probot: Probot, options?: Partial<ApplicationFunctionOptions>): Promise<void> => {
    // Probot awaits an app function (probot/lib/server/server.js `load`).
    const composed = composeApp(routes, await settingsFromEnv(env));
    composed.app(probot);
    const metrics = scrapeable(composed.services.metrics);
    options?.addHandler?.(async (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === "/healthz") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
        return true;
      }
      if (metrics) return serveMetrics(metrics, req, res);
      return false;
    });
    startMetrics(composed.services.metrics, probot.log);
    resumeDeploys(probot, composed.services, probot.log);
  };
