import { afterEach, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveMetrics } from "../../../src/adapters/metrics/metrics-route.js";
import { createPrometheusMetrics, type PrometheusMetrics } from "../../../src/adapters/metrics/prometheus.js";
import { valueOf } from "./scrape.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real HTTP server on a free loopback port: /metrics from serveMetrics, 404 for the rest. */
const start = async (metrics: Pick<PrometheusMetrics, "metrics" | "contentType">): Promise<string> => {
  server = createServer((req, res) => {
    void serveMetrics(metrics, req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe("serveMetrics", () => {
  it("answers a scrape with the counters as they are now", async () => {
    const metrics = createPrometheusMetrics({ processMetrics: false });
    const url = await start(metrics);
    metrics.commandOutcome("release", "done");

    const first = await fetch(`${url}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe(metrics.contentType);
    const name = "release_pilot_command_outcomes_total";
    expect(valueOf(await first.text(), name, { command: "release", reason: "done" })).toBe(1);

    metrics.commandOutcome("release", "done");
    const second = await fetch(`${url}/metrics?ignored=1`);
    expect(valueOf(await second.text(), name, { command: "release", reason: "done" })).toBe(2);
  });

  it("answers HEAD with headers only", async () => {
    const url = await start(createPrometheusMetrics({ processMetrics: false }));
    const response = await fetch(`${url}/metrics`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("leaves other paths and methods to the rest of the server", async () => {
    const url = await start(createPrometheusMetrics({ processMetrics: false }));
    expect((await fetch(`${url}/healthz`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: "POST" })).status).toBe(404);
  });

  it("answers 500 when collecting fails", async () => {
    const url = await start({
      contentType: "text/plain",
      metrics: () => Promise.reject(new Error("collector broke")),
    });
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("collector broke");
  });
});
