/**
 * Scripted series for the fake Prometheus. The fake cannot evaluate PromQL; instead each series
 * says which queries it answers: a text the query contains (a metric name) and label matchers
 * the query must carry with exactly these values (`version="1.2.3"`). Its value at a time is the
 * newest point at or before that time, counted in seconds from the series' `start`.
 */

export interface ScriptedSeries {
  /** Shown as `__name__`-less labels on the result sample. */
  labels: Record<string, string>;
  /** A text the query must contain, e.g. `http_requests_total` or `histogram_quantile`. */
  contains: string;
  /** Seconds since `start` → value (`NaN`, `Infinity` allowed); before the first point: no data. */
  points: readonly (readonly [number, number])[];
  start: Date;
}

/**
 * The `name op "value"` matchers of a query, string escapes undone (Go's rules, as PromQL's
 * string literals: https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals).
 */
export function labelMatchers(query: string): { name: string; op: string; value: string }[] {
  const found: { name: string; op: string; value: string }[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
  for (const m of query.matchAll(re)) {
    const value = (m[3] ?? "").replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
      e.startsWith("x") && e.length === 3
        ? String.fromCharCode(parseInt(e.slice(1), 16))
        : e === "n"
          ? "\n"
          : e === "t"
            ? "\t"
            : e,
    );
    found.push({ name: m[1] ?? "", op: m[2] ?? "", value });
  }
  return found;
}

/** Whether a series answers a query: its text, and each of its labels matched with `=`. */
export const answers = (series: ScriptedSeries, query: string): boolean => {
  if (!query.includes(series.contains)) return false;
  const matchers = labelMatchers(query);
  return Object.entries(series.labels).every(([name, value]) =>
    matchers.some((m) => m.name === name && m.op === "=" && m.value === value),
  );
};

/** The series' value at `at` (unix seconds), or undefined before its first point. */
export const valueAt = (series: ScriptedSeries, at: number): number | undefined => {
  const offset = at - series.start.getTime() / 1000;
  let value: number | undefined;
  for (const [t, v] of series.points) if (t <= offset) value = v;
  return value;
};

/** Prometheus's text for a sample value: `NaN`, `+Inf`, `-Inf` or the number. */
export const formatSample = (v: number): string =>
  Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v);
