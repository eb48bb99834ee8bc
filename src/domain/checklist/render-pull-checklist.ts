import { renderUserText } from "../user-text.js";
import type { GateResult, RowState } from "./types.js";

const icon: Record<RowState, string> = { pass: "✅", fail: "❌", pending: "⏳", missing: "❔", error: "⚠️" };

const verdict: Record<GateResult["status"], string> = {
  pass: "✅",
  fail: "❌",
  pending: "⏳",
  missing: "❔",
  error: "⚠️",
};

/**
 * Gate titles carry text others wrote (CI check names, logins, file paths). In a PR body that
 * text would mention people on every edit or, holding this section's HTML-comment markers,
 * move the section's end: it is shown as an inert code span, its angle brackets replaced.
 */
const inert = (text: string): string =>
  renderUserText(text.replaceAll("<", "‹").replaceAll(">", "›"), { inTable: true, max: 160 });

/**
 * The release PR body's "✅ Checklist" section: the Release readiness verdict, then one row per
 * gate with its state, linked to its check run. Deterministic for a given evaluation (no time),
 * so an unchanged verdict renders the same text and the body is left alone.
 */
export const renderPullChecklist = (readiness: GateResult): string => {
  const rows = readiness.rows.map((row) => {
    const gate = row.item.replace(/^Checklist: /, "");
    const name = row.link ? `[${gate}](${row.link})` : gate;
    return `| ${icon[row.state]} | ${name} | ${row.threshold} | ${inert(row.measured)} |`;
  });
  // The readiness title is built from this app's gate names ("Not ready: Version consistency").
  const lines = [`**${verdict[readiness.status]} ${readiness.title.replace(/[*_`<>\\|[\]]/g, "")}**`];
  if (rows.length > 0) lines.push("", "| | Gate | | Result |", "| --- | --- | --- | --- |", ...rows);
  lines.push(
    "",
    "_Updated by release-pilot each time the checklist runs; each gate is a check run on this PR._",
  );
  return lines.join("\n");
};
