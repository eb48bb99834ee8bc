import { meetsThreshold, parseMetricThreshold, renderMetricThreshold } from "../metric-threshold.js";
import { parseMetricsFile } from "../metrics-file.js";
import type { GateRow, ModelEvidence, ModelsInput, Verdict } from "../types.js";
import { statusOf } from "./rows.js";

const metricsOf = (
  e: ModelEvidence,
): { metrics: Record<string, number>; label: string } | { state: "missing" | "error"; reason: string } => {
  if (e.kind === "error") return { state: "error", reason: e.message };
  if (e.kind === "metrics") return { metrics: e.metrics, label: e.label };
  if (e.text === null) return { state: "missing", reason: `${e.path} not found` };
  const r = parseMetricsFile(e.text);
  return r.ok ? { metrics: r.value, label: e.path } : { state: "error", reason: r.error };
};

/** Each project's shipping model meets its metric thresholds. */
export const evaluateModels = (input: ModelsInput): Verdict => {
  if (input.models.length === 0) {
    return {
      status: "missing",
      title: "No models configured",
      rows: [],
      advice: [
        "Name each project's model and its thresholds in `checklist.models.projects`, or disable this gate.",
      ],
    };
  }
  const rows: GateRow[] = [];
  for (const { project, spec, evidence } of input.models) {
    const link = evidence.kind === "error" ? undefined : evidence.link;
    const expressions = Object.entries(spec.metrics);
    if (expressions.length === 0) {
      rows.push({
        item: project,
        measured: "no metric thresholds configured",
        threshold: "—",
        state: "missing",
      });
      continue;
    }
    const got = metricsOf(evidence);
    for (const [metric, expr] of expressions) {
      const item = `${project}: ${metric}`;
      const t = parseMetricThreshold(expr);
      if (!t.ok) {
        rows.push({ item, measured: t.error, threshold: expr, state: "error" });
      } else if ("reason" in got) {
        rows.push({
          item,
          measured: got.reason,
          threshold: renderMetricThreshold(t.value),
          state: got.state,
          link,
        });
      } else {
        const v = got.metrics[metric];
        rows.push(
          v === undefined
            ? {
                item,
                measured: `not logged on ${got.label}`,
                threshold: renderMetricThreshold(t.value),
                state: "missing",
                link,
              }
            : {
                item,
                measured: `${String(v)} — ${got.label}`,
                threshold: renderMetricThreshold(t.value),
                state: meetsThreshold(v, t.value) ? "pass" : "fail",
                link,
              },
        );
      }
    }
  }
  const status = statusOf(rows);
  const off = rows.filter((r) => r.state !== "pass").map((r) => r.item);
  const title =
    status === "pass"
      ? `All ${String(rows.length)} model metrics meet their thresholds`
      : `Model metrics not met: ${off.join(", ")}`;
  const advice: string[] = [];
  if (rows.some((r) => r.state === "fail"))
    advice.push(
      "Ship a model version that meets the thresholds (retrain, or promote a better version in the registry).",
    );
  if (rows.some((r) => r.state === "missing" || r.state === "error")) {
    advice.push(
      "Make sure the model version that ships is registered and its run logged these metrics (or the metrics file exists).",
    );
  }
  return { status, title, rows, advice };
};
