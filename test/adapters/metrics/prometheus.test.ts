import { describe, expect, it } from "@jest/globals";
import { register as globalRegistry, prometheusContentType } from "prom-client";
import { createPrometheusMetrics } from "../../../src/adapters/metrics/prometheus.js";
import type { ReasonCode } from "../../../src/domain/outcome.js";
import { noopMetrics, type GateConclusion, type RolloutResult } from "../../../src/ports/metrics.js";
import { familyNames, parseSamples, valueOf } from "./scrape.js";

const quiet = { processMetrics: false };

describe("createPrometheusMetrics", () => {
  it("counts command outcomes by command and reason code", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.commandOutcome("release", "done");
    metrics.commandOutcome("release", "done");
    metrics.commandOutcome("deploy", "refused-locked");
    const text = await metrics.metrics();
    const name = "release_pilot_command_outcomes_total";
    expect(valueOf(text, name, { command: "release", reason: "done" })).toBe(2);
    expect(valueOf(text, name, { command: "deploy", reason: "refused-locked" })).toBe(1);
    expect(valueOf(text, name, { command: "deploy", reason: "done" })).toBeUndefined();
  });

  it("times webhook handling per event in a histogram", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.webhookHandled("issue_comment.created", 0.2);
    metrics.webhookHandled("issue_comment.created", 3);
    metrics.webhookHandled("push", Number.NaN);
    const text = await metrics.metrics();
    const event = { event: "issue_comment.created" };
    expect(valueOf(text, "release_pilot_webhook_duration_seconds_count", event)).toBe(2);
    expect(valueOf(text, "release_pilot_webhook_duration_seconds_sum", event)).toBeCloseTo(3.2);
    expect(valueOf(text, "release_pilot_webhook_duration_seconds_bucket", { ...event, le: "0.25" })).toBe(1);
    expect(valueOf(text, "release_pilot_webhook_duration_seconds_bucket", { ...event, le: "+Inf" })).toBe(2);
    // A duration that is not a number is dropped, not recorded as a series.
    expect(valueOf(text, "release_pilot_webhook_duration_seconds_count", { event: "push" })).toBeUndefined();
  });

  it("counts the webhook deliveries answered without work, by event", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.webhookIgnored("push");
    metrics.webhookIgnored("push");
    metrics.webhookIgnored("issue_comment.created");
    const text = await metrics.metrics();
    expect(valueOf(text, "release_pilot_webhooks_ignored_total", { event: "push" })).toBe(2);
    expect(valueOf(text, "release_pilot_webhooks_ignored_total", { event: "issue_comment.created" })).toBe(1);
    expect(
      valueOf(text, "release_pilot_webhooks_ignored_total", { event: "check_suite.requested" }),
    ).toBeUndefined();
  });

  it("counts GitHub calls by installation, route template and status, and keeps the last rate-limit headroom", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.githubRequest(42, "GET /repos/{owner}/{repo}/pulls", 200);
    metrics.githubRequest(42, "GET /repos/{owner}/{repo}/pulls?per_page=100&page=3", 200);
    metrics.githubRequest(42, "POST /repos/{owner}/{repo}/git/refs", 422);
    metrics.rateLimitRemaining(42, 4999);
    metrics.rateLimitRemaining(42, 4990);
    const text = await metrics.metrics();
    const name = "release_pilot_github_requests_total";
    expect(
      valueOf(text, name, { installation: "42", route: "GET /repos/{owner}/{repo}/pulls", status: "200" }),
    ).toBe(2);
    expect(
      valueOf(text, name, {
        installation: "42",
        route: "POST /repos/{owner}/{repo}/git/refs",
        status: "422",
      }),
    ).toBe(1);
    expect(valueOf(text, "release_pilot_github_rate_limit_remaining", { installation: "42" })).toBe(4990);
  });

  it("counts rollouts by environment, service and result, and times them", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.rolloutFinished("production", "bankchurn", "succeeded", 95);
    metrics.rolloutFinished("production", "carvision", "rolled-back", 400);
    const text = await metrics.metrics();
    expect(
      valueOf(text, "release_pilot_rollouts_total", {
        environment: "production",
        service: "bankchurn",
        result: "succeeded",
      }),
    ).toBe(1);
    expect(
      valueOf(text, "release_pilot_rollouts_total", {
        environment: "production",
        service: "carvision",
        result: "rolled-back",
      }),
    ).toBe(1);
    expect(
      valueOf(text, "release_pilot_rollout_duration_seconds_sum", {
        environment: "production",
        result: "succeeded",
      }),
    ).toBe(95);
  });

  it("counts gate conclusions", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.gateResult("coverage", "failure");
    metrics.gateResult("readiness", "success");
    const text = await metrics.metrics();
    expect(
      valueOf(text, "release_pilot_gate_results_total", { gate: "coverage", conclusion: "failure" }),
    ).toBe(1);
    expect(
      valueOf(text, "release_pilot_gate_results_total", { gate: "readiness", conclusion: "success" }),
    ).toBe(1);
  });

  it("names every metric, process metrics included, with the release_pilot_ prefix", async () => {
    const metrics = createPrometheusMetrics();
    metrics.commandOutcome("help", "done");
    const names = familyNames(await metrics.metrics());
    expect(names).toContain("release_pilot_process_resident_memory_bytes");
    expect(names).toContain("release_pilot_nodejs_eventloop_lag_seconds");
    expect(names.filter((n) => !n.startsWith("release_pilot_"))).toEqual([]);
  });

  it("keeps each instance on its own registry, away from prom-client's global one", async () => {
    const first = createPrometheusMetrics();
    const second = createPrometheusMetrics();
    first.commandOutcome("release", "done");
    const name = "release_pilot_command_outcomes_total";
    expect(valueOf(await first.metrics(), name, { command: "release", reason: "done" })).toBe(1);
    expect(valueOf(await second.metrics(), name, { command: "release", reason: "done" })).toBeUndefined();
    expect(first.registry).not.toBe(second.registry);
    expect(globalRegistry.getSingleMetric(name)).toBeUndefined();
  });

  it("serves the Prometheus text content type", () => {
    expect(createPrometheusMetrics(quiet).contentType).toBe(prometheusContentType);
  });
});

describe("label values", () => {
  const labelValues = (text: string, label: string): string[] =>
    parseSamples(text).flatMap((s) => s.labels[label] ?? []);

  it("turn malformed text into 'other' instead of a new series", async () => {
    const metrics = createPrometheusMetrics(quiet);
    metrics.commandOutcome('release"} 1\nrelease_pilot_fake 9', "done");
    metrics.commandOutcome("please ship it, thanks!", "done");
    metrics.githubRequest(7, "https://api.github.com/repos/acme/app", 200);
    metrics.githubRequest(-1, "GET /rate_limit", 999);
    metrics.gateResult("coverage", "maybe" as GateConclusion);
    metrics.commandOutcome("release", "made-up" as ReasonCode);
    metrics.rolloutFinished("prod", "svc", "exploded" as RolloutResult, 1);
    const text = await metrics.metrics();
    expect(valueOf(text, "release_pilot_command_outcomes_total", { command: "other", reason: "done" })).toBe(
      2,
    );
    expect(
      valueOf(text, "release_pilot_command_outcomes_total", { command: "release", reason: "other" }),
    ).toBe(1);
    expect(
      valueOf(text, "release_pilot_github_requests_total", {
        installation: "7",
        route: "other",
        status: "200",
      }),
    ).toBe(1);
    expect(
      valueOf(text, "release_pilot_github_requests_total", {
        installation: "other",
        route: "GET /rate_limit",
        status: "other",
      }),
    ).toBe(1);
    expect(valueOf(text, "release_pilot_gate_results_total", { gate: "coverage", conclusion: "other" })).toBe(
      1,
    );
    expect(
      valueOf(text, "release_pilot_rollouts_total", { environment: "prod", service: "svc", result: "other" }),
    ).toBe(1);
    expect(familyNames(text)).not.toContain("release_pilot_fake");
  });

  it("stop growing at the cap, while known values always get their own series", async () => {
    const metrics = createPrometheusMetrics({
      ...quiet,
      maxLabelValues: 2,
      known: { commands: ["release", "deploy", "rollback"] },
    });
    for (const command of ["release", "deploy", "rollback", "help", "status"])
      metrics.commandOutcome(command, "done");
    for (const gate of ["tests", "coverage", "security", "docs"]) metrics.gateResult(gate, "success");
    const text = await metrics.metrics();
    expect(new Set(labelValues(text, "command"))).toEqual(
      new Set(["release", "deploy", "rollback", "other"]),
    );
    expect(valueOf(text, "release_pilot_command_outcomes_total", { command: "other", reason: "done" })).toBe(
      2,
    );
    expect(valueOf(text, "release_pilot_gate_results_total", { gate: "tests", conclusion: "success" })).toBe(
      1,
    );
    expect(
      valueOf(text, "release_pilot_gate_results_total", { gate: "coverage", conclusion: "success" }),
    ).toBe(1);
    expect(valueOf(text, "release_pilot_gate_results_total", { gate: "other", conclusion: "success" })).toBe(
      2,
    );
  });
});

describe("noopMetrics", () => {
  it("accepts every call and records nothing", () => {
    const calls = [
      noopMetrics.commandOutcome("release", "done"),
      noopMetrics.webhookHandled("push", 1),
      noopMetrics.githubRequest(1, "GET /", 200),
      noopMetrics.rateLimitRemaining(1, 10),
      noopMetrics.rolloutFinished("staging", "svc", "succeeded", 1),
      noopMetrics.gateResult("docs", "success"),
    ];
    expect(calls).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
