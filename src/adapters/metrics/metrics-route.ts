import type { IncomingMessage, ServerResponse } from "node:http";
import type { PrometheusMetrics } from "./prometheus.js";

export const METRICS_PATH = "/metrics";

/**
 * Answers `GET /metrics` with the exposition text; returns false for any other request so the
 * server can route it on. Keep this path off the Ingress: it is for the in-cluster scraper.
 */
export const serveMetrics = async (
  metrics: Pick<PrometheusMetrics, "metrics" | "contentType">,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> => {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  try {
    const body = await metrics.metrics();
    res.writeHead(200, { "content-type": metrics.contentType });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(500, { "content-type": "text/plain" }).end("metrics collection failed\n");
  }
  return true;
};
