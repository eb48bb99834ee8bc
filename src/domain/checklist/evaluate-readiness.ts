import { finishGate, READINESS_CHECK_NAME } from "./gate-registry.js";
import type { GateResult, GateRow, GateStatus, RowState } from "./types.js";

const rowState: Record<GateStatus, RowState> = {
  pass: "pass",
  fail: "fail",
  pending: "pending",
  missing: "missing",
  error: "error",
};

/**
 * The aggregate Release readiness verdict: ready only when every required gate passes;
 * advisory gates are listed but never block. `links` maps check-run names to their pages.
 */
export const evaluateReadiness = (gates: GateResult[], links: Record<string, string> = {}): GateResult => {
  const rows: GateRow[] = gates.map((g) => ({
    item: g.name,
    measured: `${g.status}${g.title ? ` — ${g.title}` : ""}`,
    threshold: g.required ? "required" : "advisory",
    // An advisory gate's failure is shown but counts as passed for the aggregate.
    state: g.required || g.status === "pass" || g.status === "pending" ? rowState[g.status] : "pass",
    link: links[g.name],
  }));
  const required = gates.filter((g) => g.required);
  const blocking = required.filter(
    (g) => g.status === "fail" || g.status === "missing" || g.status === "error",
  );
  const running = required.filter((g) => g.status === "pending");
  const warnings = gates.filter((g) => !g.required && g.status !== "pass" && g.status !== "pending");
  let status: GateStatus;
  let title: string;
  if (gates.length === 0) {
    status = "missing";
    title = "No checklist gate is enabled";
  } else if (blocking.length > 0) {
    status = "fail";
    title = `Not ready: ${blocking.map((g) => g.name.replace(/^Checklist: /, "")).join(", ")}`;
  } else if (running.length > 0) {
    status = "pending";
    title = `Waiting for ${running.map((g) => g.name.replace(/^Checklist: /, "")).join(", ")}`;
  } else {
    status = "pass";
    title =
      warnings.length > 0
        ? `Ready to release (${String(warnings.length)} advisory warnings)`
        : "Ready to release";
  }
  const advice = blocking.map((g) => `${g.name}: ${g.title} — open that check run for what to do.`);
  if (gates.length === 0) advice.push("Enable at least one gate in the `checklist` config section.");
  return finishGate("readiness", READINESS_CHECK_NAME, { status, title, rows, advice }, true);
};
