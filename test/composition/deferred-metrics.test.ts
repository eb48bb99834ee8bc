import { describe, expect, it } from "@jest/globals";
import { createPrometheusMetrics } from "../../src/adapters/metrics/prometheus.js";
import { DeferredMetrics, MAX_PENDING_CALLS, scrapeable } from "../../src/composition/deferred-metrics.js";
import { noopMetrics } from "../../src/ports/metrics.js";

const prometheus = () => createPrometheusMetrics({ processMetrics: false });

describe("DeferredMetrics", () => {
  it("keeps the calls made before prom-client is in and replays them, then counts directly", async () => {
    let loads = 0;
    const metrics = new DeferredMetrics(() => {
      loads++;
      return Promise.resolve(prometheus());
    });
    metrics.webhookIgnored("push");
    metrics.webhookIgnored("push");
    metrics.commandOutcome("release", "done");
    expect(loads).toBe(0);
    await metrics.start();
    metrics.webhookIgnored("issues.opened");
    const text = await metrics.metrics();
    expect(loads).toBe(1);
    expect(text).toMatch(/release_pilot_webhooks_ignored_total\{event="push"\} 2/);
    expect(text).toMatch(/release_pilot_webhooks_ignored_total\{event="issues\.opened"\} 1/);
    expect(text).toMatch(/release_pilot_command_outcomes_total\{[^}]*reason="done"[^}]*\} 1/);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("a scrape before the import waits for it", async () => {
    const metrics = new DeferredMetrics(() => Promise.resolve(prometheus()));
    metrics.webhookIgnored("create");
    expect(await metrics.metrics()).toMatch(/release_pilot_webhooks_ignored_total\{event="create"\} 1/);
  });

  it("keeps at most MAX_PENDING_CALLS calls before the import (a flood cannot grow it without bound)", async () => {
    const metrics = new DeferredMetrics(() => Promise.resolve(prometheus()));
    for (let i = 0; i < MAX_PENDING_CALLS + 500; i++) metrics.webhookIgnored("push");
    expect(metrics.dropped).toBe(500);
    expect(await metrics.metrics()).toMatch(
      new RegExp(`release_pilot_webhooks_ignored_total\\{event="push"\\} ${MAX_PENDING_CALLS}\\b`),
    );
  });

  it("a failed import is tried again on the next start", async () => {
    let attempts = 0;
    const metrics = new DeferredMetrics(() =>
      ++attempts === 1
        ? Promise.reject(new Error("Cannot find package 'prom-client'"))
        : Promise.resolve(prometheus()),
    );
    metrics.webhookIgnored("push");
    await expect(metrics.start()).rejects.toThrow("prom-client");
    expect(await metrics.metrics()).toMatch(/event="push"\} 1/);
    expect(attempts).toBe(2);
  });

  it("/metrics serves deferred or Prometheus metrics, never a test's no-op fake", () => {
    expect(scrapeable(new DeferredMetrics(() => Promise.resolve(prometheus())))).toBeDefined();
    expect(scrapeable(prometheus())).toBeDefined();
    expect(scrapeable(noopMetrics)).toBeUndefined();
  });
});
