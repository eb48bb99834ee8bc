import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { reasonCodes, type ReasonCode } from "../../domain/outcome.js";
import {
  gateConclusions,
  rolloutResults,
  type GateConclusion,
  type Metrics,
  type RolloutResult,
} from "../../ports/metrics.js";
import { BoundedLabel, ID, NAME, OTHER, ROUTE, STATUS } from "./bounded-label.js";

export interface PrometheusMetricsOptions {
  /** Where the metrics live; a fresh Registry by default, never prom-client's global one. */
  registry?: Registry;
  /** Also export Node process metrics (memory, CPU, event-loop lag), prefixed too. Default true. */
  processMetrics?: boolean;
  /** Distinct values kept per label before new ones count as "other". Default 200. */
  maxLabelValues?: number;
  /** Values known up front (from the registries), admitted even past the cap. */
  known?: {
    commands?: readonly string[];
    events?: readonly string[];
    gates?: readonly string[];
    environments?: readonly string[];
    services?: readonly string[];
  };
}

/** The Metrics port on Prometheus, plus what a `/metrics` route needs. */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The Content-Type of the `metrics()` text. */
  readonly contentType: string;
  /** The exposition text of every metric in the registry. */
  metrics(): Promise<string>;
}

export const METRIC_PREFIX = "release_pilot_";

const closed = <T extends string>(values: readonly T[]) => {
  const allowed = new Set<string>(values);
  return (value: T): string => (allowed.has(value) ? value : OTHER);
};

/** Builds the release-pilot metrics on their own registry, so two app instances never collide. */
export const createPrometheusMetrics = (options: PrometheusMetricsOptions = {}): PrometheusMetrics => {
  const registry = options.registry ?? new Registry();
  const max = options.maxLabelValues ?? 200;
  const known = options.known ?? {};
  const labels = {
    command: new BoundedLabel(NAME, max, known.commands),
    event: new BoundedLabel(NAME, max, known.events),
    gate: new BoundedLabel(NAME, max, known.gates),
    environment: new BoundedLabel(NAME, max, known.environments),
    service: new BoundedLabel(NAME, max, known.services),
    installation: new BoundedLabel(ID, max),
    route: new BoundedLabel(ROUTE, max),
    status: new BoundedLabel(STATUS, max),
  };
  const reason = closed<ReasonCode>(reasonCodes);
  const result = closed<RolloutResult>(rolloutResults);
  const conclusion = closed<GateConclusion>(gateConclusions);
  const registers = [registry];

  const commands = new Counter({
    name: `${METRIC_PREFIX}command_outcomes_total`,
    help: "Slash commands handled, by command and outcome reason code.",
    labelNames: ["command", "reason"] as const,
    registers,
  });
  const webhooks = new Histogram({
    name: `${METRIC_PREFIX}webhook_duration_seconds`,
    help: "Time to handle one webhook delivery, by event.",
    labelNames: ["event"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const ignored = new Counter({
    name: `${METRIC_PREFIX}webhooks_ignored_total`,
    help: "Webhook deliveries no handler acts on (answered before any work), by event.",
    labelNames: ["event"] as const,
    registers,
  });
  const requests = new Counter({
    name: `${METRIC_PREFIX}github_requests_total`,
    help: "GitHub API calls, by installation, route template and HTTP status.",
    labelNames: ["installation", "route", "status"] as const,
    registers,
  });
  const rateLimit = new Gauge({
    name: `${METRIC_PREFIX}github_rate_limit_remaining`,
    help: "Requests left in the current GitHub rate-limit window, per installation.",
    labelNames: ["installation"] as const,
    registers,
  });
  const rollouts = new Counter({
    name: `${METRIC_PREFIX}rollouts_total`,
    help: "Watched Kubernetes rollouts, by environment, service and result.",
    labelNames: ["environment", "service", "result"] as const,
    registers,
  });
  const rolloutSeconds = new Histogram({
    name: `${METRIC_PREFIX}rollout_duration_seconds`,
    help: "Time from the deploy patch to the rollout's end, by environment and result.",
    labelNames: ["environment", "result"] as const,
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
    registers,
  });
  const gates = new Counter({
    name: `${METRIC_PREFIX}gate_results_total`,
    help: "Checklist gate conclusions, by gate.",
    labelNames: ["gate", "conclusion"] as const,
    registers,
  });

  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  return {
    registry,
    get contentType() {
      return registry.contentType;
    },
    metrics: () => registry.metrics(),
    commandOutcome: (command, why) => {
      commands.inc({ command: labels.command.admit(command), reason: reason(why) });
    },
    webhookHandled: (event, seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0)
        webhooks.observe({ event: labels.event.admit(event) }, seconds);
    },
    webhookIgnored: (event) => {
      ignored.inc({ event: labels.event.admit(event) });
    },
    githubRequest: (installationId, route, status) => {
      requests.inc({
        installation: labels.installation.admit(String(installationId)),
        // Callers should pass the template; a query string would make every page a new series.
        route: labels.route.admit(route.split("?")[0] ?? route),
        status: labels.status.admit(String(status)),
      });
    },
    rateLimitRemaining: (installationId, remaining) => {
      if (!Number.isFinite(remaining)) return;
      rateLimit.set({ installation: labels.installation.admit(String(installationId)) }, remaining);
    },
    rolloutFinished: (env, service, how, seconds) => {
      const environment = labels.environment.admit(env);
      rollouts.inc({ environment, service: labels.service.admit(service), result: result(how) });
      if (Number.isFinite(seconds) && seconds >= 0) {
        rolloutSeconds.observe({ environment, result: result(how) }, seconds);
      }
    },
    gateResult: (gate, how) => {
      gates.inc({ gate: labels.gate.admit(gate), conclusion: conclusion(how) });
    },
  };
};
