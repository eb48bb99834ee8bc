/**
 * The app's Prometheus metrics with prom-client imported once the server listens, not before the
 * first `/healthz`: calls made before then (a webhook answered in the first moment) are kept and
 * replayed in order, and a scrape waits for the import.
 */
import type { PrometheusMetrics } from "../adapters/metrics/prometheus.js";
import type { Metrics } from "../ports/metrics.js";

/**
 * Calls kept before prom-client is in. A flood of deliveries in that moment cannot grow the queue
 * without bound; past this, calls are dropped (counters undercount, nothing else changes).
 */
export const MAX_PENDING_CALLS = 10_000;

/** prom-client's text exposition format, what `Registry.contentType` is by default. */
const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

type Call = { [K in keyof Metrics]: [K, Parameters<Metrics[K]>] }[keyof Metrics];

export class DeferredMetrics implements Metrics {
  private real: PrometheusMetrics | undefined;
  private loading: Promise<PrometheusMetrics> | undefined;
  private pending: Call[] = [];
  /** Calls dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly load: () => Promise<PrometheusMetrics>) {}

  /** Imports prom-client and builds the registry (once); the kept calls are replayed. */
  start(): Promise<PrometheusMetrics> {
    this.loading ??= this.load().then(
      (real) => {
        this.real = real;
        const calls = this.pending;
        this.pending = [];
        for (const [name, args] of calls) (real[name] as (...a: unknown[]) => void)(...args);
        return real;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  get contentType(): string {
    return this.real?.contentType ?? PROMETHEUS_TEXT;
  }

  /** The exposition text (a scrape before the import waits for it). */
  async metrics(): Promise<string> {
    return (await this.start()).metrics();
  }

  private call(call: Call): void {
    if (this.real) {
      (this.real[call[0]] as (...a: unknown[]) => void)(...call[1]);
    } else if (this.pending.length < MAX_PENDING_CALLS) {
      this.pending.push(call);
    } else {
      this.dropped++;
    }
  }

  commandOutcome(...args: Parameters<Metrics["commandOutcome"]>): void {
    this.call(["commandOutcome", args]);
  }
  webhookHandled(...args: Parameters<Metrics["webhookHandled"]>): void {
    this.call(["webhookHandled", args]);
  }
  webhookIgnored(...args: Parameters<Metrics["webhookIgnored"]>): void {
    this.call(["webhookIgnored", args]);
  }
  githubRequest(...args: Parameters<Metrics["githubRequest"]>): void {
    this.call(["githubRequest", args]);
  }
  rateLimitRemaining(...args: Parameters<Metrics["rateLimitRemaining"]>): void {
    this.call(["rateLimitRemaining", args]);
  }
  rolloutFinished(...args: Parameters<Metrics["rolloutFinished"]>): void {
    this.call(["rolloutFinished", args]);
  }
  gateResult(...args: Parameters<Metrics["gateResult"]>): void {
    this.call(["gateResult", args]);
  }
}

/** What `/metrics` serves: the app's Prometheus metrics, deferred or given by a test. */
export const scrapeable = (
  metrics: Metrics,
): Pick<PrometheusMetrics, "metrics" | "contentType"> | undefined =>
  metrics instanceof DeferredMetrics || "registry" in metrics
    ? (metrics as Pick<PrometheusMetrics, "metrics" | "contentType">)
    : undefined;

/** Starts the import of deferred metrics once the server listens (nothing for a test's fake). */
export const startMetrics = (
  metrics: Metrics,
  log: { error(fields: object, message: string): void },
): void => {
  if (!(metrics instanceof DeferredMetrics)) return;
  setImmediate(() => {
    metrics.start().catch((err: unknown) => log.error({ err }, "could not load the metrics registry"));
  });
};
