import type { Result } from "../../result.js";
import { parseBanditReport, parseTrivyReport } from "../security-report.js";
import type { ChecklistSettings } from "../checklist-settings.js";
import type { Finding, GateRow, SecurityEvidence, SecurityInput, SecuritySource, Verdict } from "../types.js";
import { statusOf } from "./rows.js";
import { renderUserText } from "../../user-text.js";

/** How many blocking findings are listed one per row before the rest are counted. */
const MAX_LISTED = 50;

const readReport = (source: SecuritySource, text: string): Result<Finding[]> =>
  source === "bandit"
    ? parseBanditReport(text)
    : source === "trivy"
      ? parseTrivyReport(text)
      : { ok: false, error: `${source} has no report format` };

const findingsOf = (source: SecuritySource, e: SecurityEvidence): Result<Finding[]> | { missing: string } => {
  switch (e.kind) {
    case "findings":
      return { ok: true, value: e.findings };
    case "reports": {
      const all: Finding[] = [];
      for (const report of e.reports) {
        const r = readReport(source, report.text);
        if (!r.ok) return { ok: false, error: `${report.path}: ${r.error}` };
        all.push(...r.value);
      }
      return { ok: true, value: all };
    }
    case "missing":
      return { missing: e.reason };
    case "error":
      return { ok: false, error: e.message };
  }
};

/** No open findings at a blocking severity, from every configured source. */
export const evaluateSecurity = (input: SecurityInput, config: ChecklistSettings): Verdict => {
  const blocking = new Set<string>(config.security.severities);
  const levels = config.security.severities.join("/");
  if (input.sources.length === 0) {
    return {
      status: "missing",
      title: "No security source configured",
      rows: [],
      advice: ["List sources in `checklist.security.sources`."],
    };
  }
  const rows: GateRow[] = [];
  const blockers: Finding[] = [];
  for (const { source, evidence } of input.sources) {
    const r = findingsOf(source, evidence);
    if ("missing" in r) {
      rows.push({ item: source, measured: r.missing, threshold: `0 ${levels}`, state: "missing" });
    } else if (!r.ok) {
      rows.push({ item: source, measured: r.error, threshold: `0 ${levels}`, state: "error" });
    } else {
      const bad = r.value.filter((f) => blocking.has(f.severity));
      blockers.push(...bad);
      rows.push({
        item: source,
        measured: `${String(bad.length)} blocking (${String(r.value.length)} open in all)`,
        threshold: `0 ${levels}`,
        state: bad.length === 0 ? "pass" : "fail",
      });
    }
  }
  for (const f of blockers.slice(0, MAX_LISTED)) {
    rows.push({
      item: `${f.source}: ${renderUserText(f.id, { max: 60 })}`,
      measured: `${renderUserText(f.severity, { max: 20 })} — ${renderUserText(f.title)}${f.location ? ` (${renderUserText(f.location)})` : ""}`,
      threshold: "not allowed",
      state: "fail",
      link: f.url,
    });
  }
  if (blockers.length > MAX_LISTED) {
    rows.push({
      item: "…",
      measured: `${String(blockers.length - MAX_LISTED)} more blocking findings`,
      threshold: "not allowed",
      state: "fail",
    });
  }
  const status = statusOf(rows);
  const unread = rows.filter((r) => r.state === "missing" || r.state === "error").map((r) => r.item);
  const title =
    blockers.length > 0
      ? `${String(blockers.length)} open ${levels} security findings`
      : status === "pass"
        ? `No open ${levels} findings`
        : `Could not read ${unread.join(", ")}`;
  const advice: string[] = [];
  if (blockers.length > 0)
    advice.push(`Fix or dismiss (with a reason) every ${levels} finding listed, then re-run this check.`);
  if (unread.length > 0)
    advice.push(
      "Make every source in `checklist.security.sources` readable (enable code scanning / Dependabot, or upload the report artifact).",
    );
  return { status, title, rows, advice };
};
