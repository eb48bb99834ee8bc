import type { GateRow, RowState } from "./types.js";

const icon: Record<RowState, string> = { pass: "✅", fail: "❌", pending: "⏳", missing: "❔", error: "⚠️" };

/** Table cells cannot hold pipes or newlines. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

const linked = (text: string, link: string | undefined): string =>
  link ? `[${cell(text)}](${link})` : cell(text);

/** The markdown summary of a check run: the measured-vs-threshold table, then what to do. */
export const renderGateSummary = (opts: {
  rows: GateRow[];
  advice: string[];
  required: boolean;
  note?: string;
}): string => {
  const parts: string[] = [];
  if (opts.note) parts.push(opts.note);
  if (opts.rows.length > 0) {
    parts.push(
      [
        "| | Item | Measured | Threshold |",
        "|---|---|---|---|",
        ...opts.rows.map(
          (r) =>
            `| ${icon[r.state]} | ${linked(r.item, r.link)} | ${cell(r.measured)} | ${cell(r.threshold)} |`,
        ),
      ].join("\n"),
    );
  }
  if (opts.advice.length > 0) parts.push(["**What to do**", ...opts.advice.map((a) => `- ${a}`)].join("\n"));
  if (!opts.required) parts.push("_Advisory gate: it does not block the release._");
  return parts.join("\n\n");
};
