import { describe, expect, it } from "@jest/globals";
import { configSchema } from "../../../src/config/schema.js";
import {
  type AnalysisSpec,
  checkQueryTemplate,
  decideAnalysis,
  evaluateInterval,
  initialProgress,
  type Measurement,
  parseComparison,
  parseProgress,
  renderAnalysisQuery,
  renderProgress,
  renderStatusDescription,
  type Verdict,
} from "../../../src/domain/deploy/canary-analysis.js";

const values = { service: "bankchurn", version: "1.2.0", namespace: "ml", track: "canary" };

const spec = (extra: Partial<AnalysisSpec> = {}): AnalysisSpec => ({
  checks: [
    { name: "success-rate", query: "q1", condition: { op: ">=", value: 0.99 } },
    { name: "p99-latency", query: "q2", condition: { op: "<", value: 0.5 } },
  ],
  intervalSeconds: 60,
  durationSeconds: 180,
  failureLimit: 1,
  inconclusive: "pause",
  steps: [],
  ...extra,
});

const value = (check: string, v: number, service = "bankchurn"): Measurement => ({
  check,
  service,
  kind: "value",
  value: v,
});

/** Runs verdicts through the evaluator: every decision, in order. */
const play = (s: AnalysisSpec, verdicts: Verdict[]) => {
  let progress = initialProgress();
  return verdicts.map((v) => {
    const next = decideAnalysis(s, progress, v);
    progress = next.progress;
    return next.decision.kind;
  });
};

describe("conditions", () => {
  it.each([
    ["< 0.01", { op: "<", value: 0.01 }],
    [">= 0.99", { op: ">=", value: 0.99 }],
    ["<=500", { op: "<=", value: 500 }],
    ["!= 0", { op: "!=", value: 0 }],
    ["> 1e-3", { op: ">", value: 0.001 }],
  ])("parses %s into a typed comparison", (text, parsed) => {
    expect(parseComparison(text)).toEqual(parsed);
  });

  it.each(["< 0.01; process.exit()", "0.5", "=< 1", "< x", "> 1e999", "", "<".repeat(1000)])(
    "refuses bad condition #%# (never evaluated)",
    (text) => {
      expect(parseComparison(text)).toBeUndefined();
    },
  );
});

describe("query placeholders", () => {
  it("fills the values in escaped, so a crafted value cannot leave its string literal", () => {
    const q = 'sum(rate(x{service="{{service}}",version="{{ version }}"}[{{interval}}]))';
    expect(renderAnalysisQuery(q, values, 90)).toBe('sum(rate(x{service="bankchurn",version="1.2.0"}[90s]))');
    const evil = { ...values, version: '1"} or vector(1) or x{a="\\' };
    expect(renderAnalysisQuery(q, evil, 300)).toBe(
      'sum(rate(x{service="bankchurn",version="1\\"} or vector(1) or x{a=\\"\\\\"}[5m]))',
    );
    expect(renderAnalysisQuery('x{a="{{track}}"}', { ...values, track: "a\nb\u0000" }, 60)).toBe(
      'x{a="a\\nb\\x00"}',
    );
  });

  it("matches a value literally in a regex matcher", () => {
    expect(renderAnalysisQuery('x{version=~"{{version}}|v{{version}}"}', values, 60)).toBe(
      'x{version=~"1\\\\.2\\\\.0|v1\\\\.2\\\\.0"}',
    );
  });

  it("refuses placeholders outside double quotes and unknown ones", () => {
    expect(checkQueryTemplate('x{a="{{service}}"}[{{interval}}]')).toEqual([]);
    expect(checkQueryTemplate("{{service}}_total")).toEqual([{ kind: "outside-string", name: "service" }]);
    expect(checkQueryTemplate("x{a='{{service}}'}")).toEqual([{ kind: "outside-string", name: "service" }]);
    expect(checkQueryTemplate('x{a="{{interval}}"}')).toEqual([{ kind: "outside-string", name: "interval" }]);
    expect(checkQueryTemplate('x{a="{{token}}"}')).toEqual([{ kind: "unknown-placeholder", name: "token" }]);
    // An escaped quote does not end the string.
    expect(checkQueryTemplate('x{a="\\"{{service}}"}')).toEqual([]);
  });
});

describe("one interval's verdict", () => {
  it("passes when every reading meets its condition", () => {
    const r = evaluateInterval(spec(), [value("success-rate", 0.995), value("p99-latency", 0.21)]);
    expect(r.verdict).toBe("pass");
    expect(r.rows.map((x) => x.measured)).toEqual(["0.995", "0.21"]);
  });

  it("fails on one bad reading, even when another is missing", () => {
    const r = evaluateInterval(spec(), [
      value("success-rate", 0.95),
      { check: "p99-latency", service: "bankchurn", kind: "error", detail: "unreachable" },
    ]);
    expect(r.verdict).toBe("fail");
  });

  it("is inconclusive on no data, an error, NaN or no readings at all (never healthy)", () => {
    const noData: Measurement = {
      check: "success-rate",
      service: "bankchurn",
      kind: "no-data",
      detail: "empty",
    };
    expect(evaluateInterval(spec(), [noData, value("p99-latency", 0.1)]).verdict).toBe("inconclusive");
    expect(evaluateInterval(spec(), [value("success-rate", NaN), value("p99-latency", 0.1)]).verdict).toBe(
      "inconclusive",
    );
    expect(evaluateInterval(spec(), []).verdict).toBe("inconclusive");
    expect(evaluateInterval(spec(), [value("p99-latency", Infinity)]).verdict).toBe("fail");
  });
});

describe("the run's decision", () => {
  it("promotes once every interval of the duration passed", () => {
    expect(play(spec(), ["pass", "pass", "pass"])).toEqual(["continue", "continue", "promote"]);
  });

  it("tolerates failures up to the limit, then aborts", () => {
    expect(play(spec(), ["pass", "fail", "pass", "fail"])).toEqual([
      "continue",
      "continue",
      "continue",
      "abort",
    ]);
    expect(play(spec({ failureLimit: 0 }), ["fail"])).toEqual(["abort"]);
  });

  it("moves through the weight steps, each analysed for the whole duration", () => {
    const s = spec({ steps: [10, 25, 50], durationSeconds: 120 });
    expect(play(s, ["pass", "pass", "pass", "pass", "pass", "pass"])).toEqual([
      "continue",
      "next-step",
      "continue",
      "next-step",
      "continue",
      "promote",
    ]);
    const { decision } = decideAnalysis(
      s,
      { evaluated: 1, step: 0, passed: 1, failures: 0, inconclusive: 0 },
      "pass",
    );
    expect(decision).toEqual({ kind: "next-step", step: 1, weight: 25 });
  });

  it("follows the inconclusive rule: pause, abort, or wait a step's worth", () => {
    expect(play(spec({ inconclusive: "pause" }), ["pass", "inconclusive"])).toEqual(["continue", "pause"]);
    expect(play(spec({ inconclusive: "abort" }), ["inconclusive"])).toEqual(["abort"]);
    expect(
      play(spec({ inconclusive: "wait" }), ["inconclusive", "pass", "inconclusive", "pass", "pass"]),
    ).toEqual(["continue", "continue", "continue", "continue", "promote"]);
    expect(play(spec({ inconclusive: "wait" }), ["inconclusive", "inconclusive", "inconclusive"])).toEqual([
      "continue",
      "continue",
      "pause",
    ]);
  });
});

describe("recorded progress", () => {
  it("round-trips through the status description, and the description fits GitHub's 140 characters", () => {
    const s = spec({ steps: [10, 50] });
    const p = { evaluated: 7, step: 1, passed: 2, failures: 1, inconclusive: 0 };
    expect(parseProgress(renderProgress(s, p))).toEqual(p);
    const rows = evaluateInterval(s, [
      value("success-rate", 0.9991, "bankchurn"),
      value("p99-latency", 0.2, "bankchurn"),
      value("success-rate", 0.97, "carvision"),
      value("p99-latency", 0.61, "carvision"),
    ]).rows;
    const text = renderStatusDescription(s, p, rows);
    expect(text.length).toBeLessThanOrEqual(140);
    expect(text).toContain("bankchurn success-rate 0.9991 ✓");
    expect(parseProgress(text)).toEqual(p);
    expect(parseProgress("deploying 1.2.0")).toBeUndefined();
    const final = renderStatusDescription(s, p, rows, "promoted | ");
    expect(final.length).toBeLessThanOrEqual(140);
    expect(final).toMatch(/^promoted \| interval 7, .* …$/);
  });
});

describe("canary.analysis in the config", () => {
  const env = (analysis: unknown) => ({
    environments: {
      production: {
        cluster: "prod",
        services: [{ name: "api", deployment: "api", container: "api" }],
        canary: { analysis },
      },
    },
  });

  it("takes a built-in template in one line, with the guide's 30 minutes by default", () => {
    const parsed = configSchema.parse(env({ checks: ["success-rate"] }));
    const analysis = parsed.environments["production"]?.canary.analysis;
    expect(analysis).toMatchObject({
      intervalSeconds: 60,
      durationSeconds: 1800,
      failureLimit: 0,
      inconclusive: "pause",
    });
    expect(analysis?.checks[0]?.condition).toEqual({ op: ">=", value: 0.99 });
    expect(analysis?.checks[0]?.query).toContain('service="{{service}}"');
  });

  it("names each bad key by its path", () => {
    const result = configSchema.safeParse(
      env({
        checks: [
          { name: "e", query: "{{service}}_total" },
          { template: "p99-latency", query: 'x{a="1"}' },
        ],
        interval: "5s",
        duration: "2x",
        steps: [50, 25],
      }),
    );
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.slice(3).join(".")) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["analysis.checks.0.query", "analysis.duration"]));
    const again = configSchema.safeParse(
      env({ checks: [{ template: "p99-latency", query: 'x{a="1"}' }], interval: "5s", steps: [50, 25] }),
    );
    const messages = again.error?.issues.map((i) => `${i.path.slice(3).join(".")}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        "analysis.checks.0: give either `template` or `query`, not both",
        "analysis.interval: at least 10s",
        "analysis.steps: weights must increase, e.g. [10, 25, 50]",
      ]),
    );
  });
});
