import { parseCoverageDescription, parseCoverageReport } from "../coverage-report.js";
import type { ChecklistSettings } from "../checklist-settings.js";
import type { CoverageEvidence, CoverageInput, GateRow, Verdict } from "../types.js";
import { count, pct, statusOf } from "./rows.js";

const measure = (
  e: CoverageEvidence,
): { percent: number; source: string } | { state: "missing" | "error"; reason: string } => {
  switch (e.kind) {
    case "none":
      return { state: "missing", reason: `no report found (looked for ${e.looked})` };
    case "error":
      return { state: "error", reason: e.message };
    case "report": {
      const r = parseCoverageReport(e.path, e.text);
      return r.ok
        ? { percent: r.value.percent, source: `${e.path} (${r.value.format})` }
        : { state: "error", reason: r.error };
    }
    case "status": {
      const r = parseCoverageDescription(e.description);
      return r.ok ? { percent: r.value, source: `status ${e.context}` } : { state: "error", reason: r.error };
    }
  }
};

/** Line coverage of each project against its threshold (default 75%). */
export const evaluateCoverage = (input: CoverageInput, config: ChecklistSettings): Verdict => {
  if (input.projects.length === 0) {
    return {
      status: "missing",
      title: "No projects to measure",
      rows: [],
      advice: ["Declare the repository's projects in the config."],
    };
  }
  const rows: GateRow[] = input.projects.map(({ project, evidence }) => {
    const threshold = config.coverage.projects[project]?.threshold ?? config.coverage.threshold;
    const m = measure(evidence);
    const link = evidence.kind === "report" || evidence.kind === "status" ? evidence.link : undefined;
    if ("reason" in m)
      return { item: project, measured: m.reason, threshold: `≥ ${pct(threshold)}`, state: m.state, link };
    return {
      item: project,
      measured: `${pct(m.percent)} — ${m.source}`,
      threshold: `≥ ${pct(threshold)}`,
      state: m.percent >= threshold ? "pass" : "fail",
      link,
    };
  });
  const status = statusOf(rows);
  const below = rows.filter((r) => r.state === "fail").map((r) => r.item);
  const unread = rows.filter((r) => r.state === "missing" || r.state === "error").map((r) => r.item);
  // A read that failed is not a missing report: the title says the gate could not evaluate.
  const errored = rows.filter((r) => r.state === "error").map((r) => r.item);
  const title =
    status === "pass"
      ? `Coverage meets the threshold in all ${String(rows.length)} projects`
      : below.length > 0
        ? `Coverage below threshold: ${below.join(", ")}`
        : errored.length > 0
          ? `Could not evaluate coverage for ${errored.join(", ")}: an input could not be read`
          : `No usable coverage figure for ${unread.join(", ")}`;
  const advice: string[] = [];
  if (count(rows, "fail") > 0)
    advice.push(
      "Add tests to the projects below their threshold, or adjust `checklist.coverage.projects.<name>.threshold` deliberately.",
    );
  if (unread.length > 0) {
    advice.push(
      "Upload each project's coverage report as a workflow artifact (see `checklist.coverage.artifact` and `reports`) or post a commit status whose description holds the percentage.",
    );
  }
  return { status, title, rows, advice };
};
