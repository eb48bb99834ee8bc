/**
 * `environments.<name>.canary.analysis`: what `/canary` watches before it promotes or aborts by
 * itself. A repository says *what* to measure; the Prometheus server and its token are the
 * operator's (RELEASE_PILOT_SETTINGS `prometheus`), never named here.
 */
import { z } from "zod";
import {
  type AnalysisCheck,
  type AnalysisSpec,
  checkQueryTemplate,
  parseComparison,
  parseDurationSeconds,
} from "../../domain/deploy/canary-analysis.js";

const matchers = 'namespace="{{namespace}}",service="{{service}}",version="{{version}}"';

/** The usual two, so a team writes one line. Metric names follow the Prometheus client conventions. */
const analysisTemplates = {
  "success-rate": {
    query: `sum(rate(http_requests_total{${matchers},code!~"5.."}[{{interval}}])) / sum(rate(http_requests_total{${matchers}}[{{interval}}]))`,
    condition: ">= 0.99",
  },
  "p99-latency": {
    query: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${matchers}}[{{interval}}])))`,
    condition: "<= 0.5",
  },
} as const;

const templateNames = ["success-rate", "p99-latency"] as const;
type TemplateName = (typeof templateNames)[number];

const duration = z
  .string()
  .regex(/^\d{1,5}[smh]$/, "a duration such as 30s, 5m or 1h")
  .transform((text) => parseDurationSeconds(text) ?? 0);

const condition = z
  .string()
  .max(60)
  .refine((text) => parseComparison(text) !== undefined, "a condition such as `< 0.01` or `>= 0.99`");

const query = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((text, ctx) => {
    for (const p of checkQueryTemplate(text))
      ctx.addIssue({
        code: "custom",
        message:
          p.kind === "unknown-placeholder"
            ? `unknown placeholder {{${p.name}}} (known: {{service}}, {{version}}, {{namespace}}, {{track}}, {{interval}})`
            : p.name === "interval"
              ? "{{interval}} is a range duration: write it outside quotes, e.g. [{{interval}}]"
              : `{{${p.name}}} must stand inside a double-quoted string, e.g. service="{{${p.name}}}" (its value is escaped there)`,
      });
  });

const checkObject = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, "a check name such as error-rate")
      .optional()
      .describe("Name shown with the measured values (default: the template's)."),
    template: z.enum(templateNames).optional().describe("Built-in query and condition to start from."),
    query: query
      .optional()
      .describe(
        "PromQL instant query returning one number; {{service}}, {{version}}, {{namespace}}, {{track}} (escaped, inside double quotes) and {{interval}} (a range).",
      ),
    condition: condition.optional().describe("Healthy when the value meets it: `< 0.01`, `>= 0.99`."),
  })
  .strict();

const check = z.union([z.enum(templateNames), checkObject]);

const toCheck = (raw: z.infer<typeof check>): AnalysisCheck | string => {
  const entry = typeof raw === "string" ? { template: raw as TemplateName } : raw;
  const base = entry.template ? analysisTemplates[entry.template] : undefined;
  const text = entry.query ?? base?.query;
  const cond = parseComparison(entry.condition ?? base?.condition ?? "");
  const name = entry.name ?? entry.template;
  if (entry.query && entry.template) return "give either `template` or `query`, not both";
  if (!text) return "give a `template` (success-rate, p99-latency) or a `query`";
  if (!name) return "a check with its own `query` needs a `name`";
  if (!cond) return "a check with its own `query` needs a `condition`";
  return { name, query: text, condition: cond };
};

export const canaryAnalysis = z
  .object({
    checks: z
      .array(check)
      .min(1)
      .max(10)
      .describe(
        "Metric checks, each run per service every interval: `success-rate` or `p99-latency` (built-in), or { name, query, condition } (or { template, condition } to change a threshold).",
      ),
    interval: duration.prefault("1m").describe("Time between measurements."),
    duration: duration
      .prefault("30m")
      .describe("How long each weight step is analysed before the next (or the promotion)."),
    failureLimit: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .describe("Failed intervals tolerated over the run; one more aborts the canary."),
    inconclusive: z
      .enum(["pause", "abort", "wait"])
      .default("pause")
      .describe(
        "When a check has no usable value (Prometheus unreachable, an error, no data, NaN): pause (leave the canary to /promote or /abort), abort, or wait (the interval does not count; a step's worth in a row pauses).",
      ),
    steps: z
      .array(z.number().gt(0).lt(100))
      .min(1)
      .max(10)
      .optional()
      .describe(
        "Canary weights in percent by replica count, e.g. [10, 25, 50], each analysed before the next.",
      ),
  })
  .strict()
  .transform((raw, ctx): AnalysisSpec => {
    const checks: AnalysisCheck[] = [];
    raw.checks.forEach((c, i) => {
      const built = toCheck(c);
      if (typeof built === "string") ctx.addIssue({ code: "custom", path: ["checks", i], message: built });
      else checks.push(built);
    });
    const names = checks.map((c) => c.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) ctx.addIssue({ code: "custom", path: ["checks"], message: `two checks are named ${twice}` });
    if (raw.interval < 10) ctx.addIssue({ code: "custom", path: ["interval"], message: "at least 10s" });
    if (raw.duration < raw.interval)
      ctx.addIssue({ code: "custom", path: ["duration"], message: "at least one interval" });
    const steps = raw.steps ?? [];
    if (steps.some((w, i) => i > 0 && w <= (steps[i - 1] ?? 0)))
      ctx.addIssue({ code: "custom", path: ["steps"], message: "weights must increase, e.g. [10, 25, 50]" });
    if ((raw.duration / Math.max(raw.interval, 1)) * Math.max(1, steps.length) > 500)
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        message: "more than 500 intervals in all: lengthen the interval",
      });
    return {
      checks,
      intervalSeconds: raw.interval,
      durationSeconds: raw.duration,
      failureLimit: raw.failureLimit,
      inconclusive: raw.inconclusive,
      steps,
    };
  });
