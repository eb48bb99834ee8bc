import type { GateStatus, RowState } from "../types.js";

/** A gate's status from its rows: decisive failures first, then unreadable / absent inputs, then running ones. */
export const statusOf = (rows: { state: RowState }[]): GateStatus => {
  const has = (s: RowState) => rows.some((r) => r.state === s);
  if (rows.length === 0) return "missing";
  if (has("fail")) return "fail";
  if (has("error")) return "error";
  if (has("missing")) return "missing";
  if (has("pending")) return "pending";
  return "pass";
};

export const count = (rows: { state: RowState }[], s: RowState): number =>
  rows.filter((r) => r.state === s).length;

export const pct = (n: number): string => `${(Math.round(n * 10) / 10).toFixed(1)}%`;
