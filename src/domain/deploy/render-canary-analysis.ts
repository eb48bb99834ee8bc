/** The canary analysis' progress comment: where it stands, the measured values, what people can do. */
import {
  type AnalysisDecision,
  type AnalysisProgress,
  type AnalysisSpec,
  intervalsPerStep,
  type MeasuredRow,
  renderMeasuredTable,
  stepCount,
} from "./canary-analysis.js";

export interface AnalysisView {
  env: string;
  version: string;
  spec: AnalysisSpec;
  progress: AnalysisProgress;
  rows: readonly MeasuredRow[];
  /** The final decision, once there is one. */
  outcome?: AnalysisDecision | undefined;
  /** What was done about it (promoted, aborted, paused, and any trouble doing it). */
  detail?: string | undefined;
}

const minutes = (seconds: number): string => (seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

const headline = (v: AnalysisView): string => {
  const what = `canary analysis of **${v.version}** on \`${v.env}\``;
  switch (v.outcome?.kind) {
    case "promote":
      return `✅ The ${what} passed: promoted`;
    case "abort":
      return `❌ The ${what} failed: aborted (${v.outcome.reason})`;
    case "pause":
      return `⏸️ The ${what} is paused: ${v.outcome.reason}`;
    default:
      return `📈 ${what[0]?.toUpperCase() ?? ""}${what.slice(1)}: running`;
  }
};

export function renderAnalysisComment(v: AnalysisView): string {
  const { spec, progress: p } = v;
  const steps = stepCount(spec);
  const weight = spec.steps[p.step];
  const lines = [
    headline(v),
    "",
    `Step ${p.step + 1}/${steps}${weight !== undefined ? ` (${weight}% of the pods)` : ""} · interval ${p.evaluated} · passed ${p.passed}/${intervalsPerStep(spec)} in this step · failed ${p.failures} (limit ${spec.failureLimit}) · inconclusive ${p.inconclusive} in a row`,
    "",
  ];
  if (v.rows.length) lines.push("Last measurements:", "", ...renderMeasuredTable(v.rows), "");
  if (v.detail) lines.push(v.detail, "");
  if (!v.outcome || v.outcome.kind === "pause")
    lines.push(
      `Every check is measured every ${minutes(spec.intervalSeconds)} for ${minutes(spec.durationSeconds)} a step. \`/promote ${v.env}\` or \`/abort ${v.env}\` decides now.`,
    );
  return lines.join("\n").trimEnd();
}
