import type { Result } from "../result.js";

const comparators = [">=", ">", "<=", "<", "=="] as const;
export type Comparator = (typeof comparators)[number];

export interface MetricThreshold {
  op: Comparator;
  value: number;
}

const EXPR = /^\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `>= 0.60`, `> 0.8`, `<= 120`, `< 0.1`, `== 1`. */
export const parseMetricThreshold = (text: string): Result<MetricThreshold> => {
  const m = EXPR.exec(text);
  const op = comparators.find((c) => c === m?.[1]);
  if (!m || op === undefined) return { ok: false, error: `"${text}" is not a threshold such as ">= 0.60"` };
  return { ok: true, value: { op, value: Number(m[2]) } };
};

export const meetsThreshold = (measured: number, t: MetricThreshold): boolean => {
  switch (t.op) {
    case ">=":
      return measured >= t.value;
    case ">":
      return measured > t.value;
    case "<=":
      return measured <= t.value;
    case "<":
      return measured < t.value;
    case "==":
      return measured === t.value;
  }
};

export const renderMetricThreshold = (t: MetricThreshold): string =>
  `${t.op === ">=" ? "≥" : t.op === "<=" ? "≤" : t.op} ${String(t.value)}`;
