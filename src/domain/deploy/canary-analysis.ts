/**
 * Canary analysis, decided without I/O: metric checks (PromQL with placeholders and a typed
 * condition), one verdict per interval from the measurements, and the run's decision from its
 * recorded progress: continue, next weight step, promote, abort or pause. Argo Rollouts'
 * AnalysisTemplates (`successCondition`, `failureLimit`, `interval`, `count`) and Flagger's
 * thresholds and step weights are the models; nothing here evaluates user text as code.
 */

const comparators = ["<", "<=", ">", ">=", "==", "!="] as const;
export type Comparator = (typeof comparators)[number];

/** `< 0.01`, `>= 0.99`: parsed, never evaluated as an expression. */
export interface Comparison {
  op: Comparator;
  value: number;
}

const CONDITION =
  /^\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d{1,15}(?:\.\d{1,15})?|\.\d{1,15})(?:[eE][-+]?\d{1,3})?)\s*$/;

export const parseComparison = (text: string): Comparison | undefined => {
  const m = CONDITION.exec(text);
  const op = comparators.find((c) => c === m?.[1]);
  const value = Number(m?.[2]);
  return op !== undefined && Number.isFinite(value) ? { op, value } : undefined;
};

const renderComparison = (c: Comparison): string => `${c.op} ${String(c.value)}`;

const meetsComparison = (measured: number, c: Comparison): boolean => {
  switch (c.op) {
    case "<":
      return measured < c.value;
    case "<=":
      return measured <= c.value;
    case ">":
      return measured > c.value;
    case ">=":
      return measured >= c.value;
    case "==":
      return measured === c.value;
    case "!=":
      return measured !== c.value;
  }
};

/** Durations as the config writes them: `30s`, `5m`, `1h`. */
export const parseDurationSeconds = (text: string): number | undefined => {
  const m = /^(\d{1,5})(s|m|h)$/.exec(text);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] : undefined;
};

/** A PromQL range duration for `{{interval}}`: `90s`, `5m`, `1h`. */
const renderPromDuration = (seconds: number): string =>
  seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;

const analysisPlaceholders = ["service", "version", "namespace", "track"] as const;
export type PlaceholderValues = Record<(typeof analysisPlaceholders)[number], string>;

const PLACEHOLDER = /\{\{\s*([a-z]+)\s*\}\}/y;

/** Inside a PromQL double-quoted string: Go's escapes, so a value cannot end the string. */
const escapeStringLiteral = (value: string): string =>
  [...value]
    .map((ch) => {
      if (ch === "\\" || ch === '"') return `\\${ch}`;
      if (ch === "\n") return "\\n";
      const code = ch.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
    })
    .join("");

/** In a regex matcher (`=~`, `!~`) the value is matched literally: RE2 metacharacters escaped. */
const escapeRegex = (value: string): string => value.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

export type QueryProblem =
  { kind: "unknown-placeholder"; name: string } | { kind: "outside-string"; name: string };

interface Segment {
  placeholder?: string;
  text: string;
  inString: boolean;
  regex: boolean;
}

/**
 * The query cut at its placeholders, knowing for each whether it sits inside a double-quoted
 * string literal (https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals)
 * and whether that string is a regex matcher's value.
 */
function segments(template: string): Segment[] {
  const out: Segment[] = [];
  let text = "";
  let quote: string | undefined;
  let regex = false;
  for (let i = 0; i < template.length;) {
    const ch = template[i] ?? "";
    if (ch === "{" && template[i + 1] === "{") {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(template);
      if (m) {
        out.push(
          { text, inString: quote === '"', regex },
          { placeholder: m[1] ?? "", text: "", inString: quote === '"', regex },
        );
        text = "";
        i += m[0].length;
        continue;
      }
    }
    if (quote) {
      if (ch === "\\" && quote !== "`") {
        text += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      quote = ch;
      regex = /[=!]~\s*$/.test(template.slice(Math.max(0, i - 8), i));
    }
    text += ch;
    i++;
  }
  out.push({ text, inString: false, regex: false });
  return out;
}

/**
 * What is wrong with a query template: an unknown placeholder, or a value placeholder outside a
 * double-quoted string (where no escaping could keep a crafted value from becoming PromQL).
 * `{{interval}}` is ours (a number of seconds) and goes where a range duration goes.
 */
export function checkQueryTemplate(template: string): QueryProblem[] {
  const problems: QueryProblem[] = [];
  for (const s of segments(template)) {
    if (s.placeholder === undefined) continue;
    const name = s.placeholder;
    if (name === "interval") {
      if (s.inString) problems.push({ kind: "outside-string", name });
    } else if (!(analysisPlaceholders as readonly string[]).includes(name))
      problems.push({ kind: "unknown-placeholder", name });
    else if (!s.inString) problems.push({ kind: "outside-string", name });
  }
  return problems;
}

/** The query with its placeholders filled in, each value escaped for where it stands. */
export function renderAnalysisQuery(
  template: string,
  values: PlaceholderValues,
  intervalSeconds: number,
): string {
  return segments(template)
    .map((s) => {
      if (s.placeholder === undefined) return s.text;
      if (s.placeholder === "interval") return renderPromDuration(intervalSeconds);
      const value = values[s.placeholder as keyof PlaceholderValues];
      return escapeStringLiteral(s.regex ? escapeRegex(value) : value);
    })
    .join("");
}

export interface AnalysisCheck {
  name: string;
  query: string;
  condition: Comparison;
}

export type InconclusiveRule = "pause" | "abort" | "wait";

export interface AnalysisSpec {
  checks: readonly AnalysisCheck[];
  intervalSeconds: number;
  /** Time each weight step is analysed. */
  durationSeconds: number;
  /** Failed intervals tolerated over the whole run; one more aborts. */
  failureLimit: number;
  inconclusive: InconclusiveRule;
  /** Canary weights in percent, analysed in order; empty: one step at the canary's own size. */
  steps: readonly number[];
}

export const intervalsPerStep = (spec: Pick<AnalysisSpec, "intervalSeconds" | "durationSeconds">): number =>
  Math.max(1, Math.ceil(spec.durationSeconds / spec.intervalSeconds));

export const stepCount = (spec: Pick<AnalysisSpec, "steps">): number => Math.max(1, spec.steps.length);

/** One check's reading for one service, or why there is none (never a number made up). */
export type Measurement =
  | { check: string; service: string; kind: "value"; value: number }
  | { check: string; service: string; kind: "no-data" | "error"; detail: string };

export type Verdict = "pass" | "fail" | "inconclusive";

export interface MeasuredRow {
  check: string;
  service: string;
  measured: string;
  condition: string;
  verdict: Verdict;
}

export interface IntervalResult {
  verdict: Verdict;
  rows: MeasuredRow[];
}

const formatValue = (v: number): string =>
  Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 1000 || Math.abs(v) < 0.001
      ? v.toExponential(3)
      : String(Number(v.toPrecision(4)));

/** One interval: fail when any reading breaks its condition, else inconclusive when any is missing. */
export function evaluateInterval(
  spec: Pick<AnalysisSpec, "checks">,
  measurements: readonly Measurement[],
): IntervalResult {
  const rows = measurements.map((m): MeasuredRow => {
    const check = spec.checks.find((c) => c.name === m.check);
    const condition = check ? renderComparison(check.condition) : "?";
    if (m.kind !== "value" || !check)
      return {
        check: m.check,
        service: m.service,
        measured: m.kind === "value" ? formatValue(m.value) : m.kind,
        condition,
        verdict: "inconclusive",
      };
    // NaN (0/0 with no traffic) is no measurement; ±Inf compares as a number.
    if (Number.isNaN(m.value))
      return { check: m.check, service: m.service, measured: "NaN", condition, verdict: "inconclusive" };
    return {
      check: m.check,
      service: m.service,
      measured: formatValue(m.value),
      condition,
      verdict: meetsComparison(m.value, check.condition) ? "pass" : "fail",
    };
  });
  const verdict: Verdict = rows.some((r) => r.verdict === "fail")
    ? "fail"
    : rows.length === 0 || rows.some((r) => r.verdict === "inconclusive")
      ? "inconclusive"
      : "pass";
  return { verdict, rows };
}

/** Where a run stands; recorded after each interval so a restart resumes from it. */
export interface AnalysisProgress {
  /** Intervals evaluated so far, over the whole run (the last one's number). */
  evaluated: number;
  /** Weight step analysed now, from 0. */
  step: number;
  /** Passed intervals in this step. */
  passed: number;
  /** Failed intervals over the whole run. */
  failures: number;
  /** Inconclusive intervals in a row. */
  inconclusive: number;
}

export const initialProgress = (): AnalysisProgress => ({
  evaluated: 0,
  step: 0,
  passed: 0,
  failures: 0,
  inconclusive: 0,
});

export type AnalysisDecision =
  | { kind: "continue" }
  | { kind: "next-step"; step: number; weight: number }
  | { kind: "promote" }
  | { kind: "abort"; reason: string }
  | { kind: "pause"; reason: string };

/** The run's next move after one more interval, and its progress then. */
export function decideAnalysis(
  spec: AnalysisSpec,
  before: AnalysisProgress,
  verdict: Verdict,
): { progress: AnalysisProgress; decision: AnalysisDecision } {
  const perStep = intervalsPerStep(spec);
  const p: AnalysisProgress = { ...before, evaluated: before.evaluated + 1 };
  if (verdict === "fail") {
    p.failures++;
    p.inconclusive = 0;
    if (p.failures > spec.failureLimit)
      return {
        progress: p,
        decision: {
          kind: "abort",
          reason: `${p.failures} failed interval${p.failures === 1 ? "" : "s"}, more than the limit of ${spec.failureLimit}`,
        },
      };
    return { progress: p, decision: { kind: "continue" } };
  }
  if (verdict === "inconclusive") {
    p.inconclusive++;
    if (spec.inconclusive === "abort")
      return {
        progress: p,
        decision: { kind: "abort", reason: "a check had no usable measurement (inconclusive: abort)" },
      };
    if (spec.inconclusive === "pause")
      return {
        progress: p,
        decision: { kind: "pause", reason: "a check had no usable measurement (inconclusive: pause)" },
      };
    if (p.inconclusive >= perStep)
      return {
        progress: p,
        decision: {
          kind: "pause",
          reason: `${p.inconclusive} inconclusive intervals in a row, a whole step's worth (inconclusive: wait)`,
        },
      };
    return { progress: p, decision: { kind: "continue" } };
  }
  p.inconclusive = 0;
  p.passed++;
  if (p.passed < perStep) return { progress: p, decision: { kind: "continue" } };
  if (p.step + 1 < stepCount(spec)) {
    const step = p.step + 1;
    return {
      progress: { ...p, step, passed: 0 },
      decision: { kind: "next-step", step, weight: spec.steps[step] ?? 0 },
    };
  }
  return { progress: p, decision: { kind: "promote" } };
}

const PROGRESS =
  /^interval (\d{1,6}), step (\d{1,3})\/(\d{1,3}): passed (\d{1,6})\/(\d{1,6}), failed (\d{1,6}) \(limit (\d{1,6})\), inconclusive (\d{1,6})/;

/** The progress as written at the start of a Deployment status description (≤ 140 characters). */
export const renderProgress = (spec: AnalysisSpec, p: AnalysisProgress): string =>
  `interval ${p.evaluated}, step ${p.step + 1}/${stepCount(spec)}: passed ${p.passed}/${intervalsPerStep(spec)}, failed ${p.failures} (limit ${spec.failureLimit}), inconclusive ${p.inconclusive}`;

/** The progress a status description carries, or undefined when it carries none. */
export function parseProgress(text: string | undefined): AnalysisProgress | undefined {
  const m = PROGRESS.exec(text ?? "");
  if (!m) return undefined;
  const n = (i: number) => Number(m[i]);
  if (n(2) < 1) return undefined;
  return { evaluated: n(1), step: n(2) - 1, passed: n(4), failures: n(6), inconclusive: n(8) };
}

const icon: Record<Verdict, string> = { pass: "✓", fail: "✗", inconclusive: "?" };

/**
 * A status description: `prefix`, the progress, then as many measured values as fit in GitHub's
 * 140 characters.
 */
export function renderStatusDescription(
  spec: AnalysisSpec,
  p: AnalysisProgress,
  rows: readonly MeasuredRow[],
  prefix = "",
): string {
  let text = `${prefix}${renderProgress(spec, p)}`;
  for (const [i, r] of rows.entries()) {
    const next = `${text}${i === 0 ? " | " : "; "}${r.service} ${r.check} ${r.measured} ${icon[r.verdict]}`;
    if (next.length > 138) return `${text} …`;
    text = next;
  }
  return text;
}

/** The measured values as a markdown table, for the progress comment. */
export const renderMeasuredTable = (rows: readonly MeasuredRow[]): string[] => [
  "| Service | Check | Measured | Condition | |",
  "| --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) => `| \`${r.service}\` | ${r.check} | ${r.measured} | ${r.condition} | ${icon[r.verdict]} |`,
  ),
];
