import type { Result } from "../result.js";

export type Comparator = ">=" | ">" | "<=" | "<" | "==";

export interface MetricThreshold {
  op: Comparator;
  value: number;
}

const EXPR = /^\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `>= 0.60`, `> 0.8`, `<= 120`, `< 0.1`, `== 1`. */
export const parseMetricThreshold = (text: string): Result<MetricThreshold> => {
  const m = EXPR.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not a threshold such as ">= 0.60"` };
  return { ok: true, value: { op: m[1] as Comparator, value: Number(m[2]) } };
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
