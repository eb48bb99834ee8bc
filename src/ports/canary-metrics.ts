/**
 * The metrics a canary analysis reads: one instant query, one number. Never throws: an
 * unreachable server, an error answer or an empty result is a reading without a value, which the
 * analysis counts as inconclusive (never as healthy).
 */
export type MetricReading =
  { kind: "value"; value: number } | { kind: "no-data"; detail: string } | { kind: "error"; detail: string };

export interface CanaryMetrics {
  /** Evaluate `query` at `at`. */
  instant(query: string, at: Date): Promise<MetricReading>;
}
