import { matchesGlob } from "../../glob.js";
import type { ChecksInput, CommitCheck, GateRow, RowState, Verdict } from "../types.js";
import { count, statusOf } from "./rows.js";
import { renderUserText } from "../../user-text.js";

const rowState: Record<CommitCheck["state"], RowState> = {
  success: "pass",
  neutral: "pass",
  skipped: "pass",
  pending: "pending",
  failure: "fail",
};

/** Named CI checks green on the head commit (shared by the tests and integration gates). */
export const evaluateChecks = (
  what: string,
  configKey: string,
  patterns: readonly string[],
  input: ChecksInput,
): Verdict => {
  if (patterns.length === 0) {
    return {
      status: "missing",
      title: `No ${what} checks configured`,
      rows: [],
      advice: [`List the check names in \`${configKey}\`.`],
    };
  }
  const rows: GateRow[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matches = input.checks.filter((c) => matchesGlob(pattern, c.name, "name"));
    if (matches.length === 0) {
      unmatched.push(pattern);
      rows.push({
        item: renderUserText(pattern),
        measured: "no such check",
        threshold: "success",
        state: "missing",
      });
    }
    for (const c of matches) {
      const key = `${c.source}:${c.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const label = `${renderUserText(c.name)}${c.source === "status" ? " (status)" : ""}`;
      rows.push({
        item: label,
        measured: c.state,
        threshold: "success",
        state: rowState[c.state],
        link: c.url,
      });
    }
  }
  const status = statusOf(rows);
  const total = rows.length - unmatched.length;
  const failed = count(rows, "fail");
  const running = count(rows, "pending");
  const title =
    status === "fail"
      ? `${String(failed)} of ${String(total)} ${what} checks failed`
      : status === "missing"
        ? `No ${what} check matches ${unmatched.map((p) => `'${p}'`).join(", ")}`
        : status === "pending"
          ? `${String(running)} of ${String(total)} ${what} checks still running`
          : `All ${String(total)} ${what} checks passed`;
  const advice: string[] = [];
  if (failed > 0)
    advice.push(`Fix the failing ${what} checks and push; this gate re-evaluates when they complete.`);
  if (unmatched.length > 0) {
    advice.push(`Make CI run these checks on the release branch, or correct the names in \`${configKey}\`.`);
  }
  return { status, title, rows, advice };
};
