import { describe, expect, it } from "@jest/globals";
import { checklistSection } from "../../../src/config/sections/checklist-section.js";
import { evaluateReadiness } from "../../../src/domain/checklist/evaluate-readiness.js";
import { evaluateGate, finishGate } from "../../../src/domain/checklist/gate-registry.js";
import { planCheckRunWrites } from "../../../src/domain/checklist/plan-check-run-writes.js";
import { renderCheckRunOutput } from "../../../src/domain/checklist/render-check-run-output.js";
import type { GateResult, GateStatus } from "../../../src/domain/checklist/types.js";

const gate = (name: string, status: GateStatus, required = true): GateResult =>
  finishGate("tests", name, { status, title: `${name} is ${status}`, rows: [], advice: [] }, required);

describe("evaluateReadiness", () => {
  it("is ready when every required gate passes, listing advisory warnings", () => {
    const r = evaluateReadiness([gate("Checklist: Tests", "pass"), gate("Checklist: Docs", "fail", false)], {
      "Checklist: Tests": "https://x/1",
    });
    expect(r).toMatchObject({
      gate: "readiness",
      name: "Release readiness",
      status: "pass",
      conclusion: "success",
      title: "Ready to release (1 advisory warnings)",
    });
    expect(r.summary).toContain("[Checklist: Tests](https://x/1)");
    expect(r.summary).toContain("advisory");
  });
  it("is not ready when a required gate fails, is missing or errored", () => {
    const r = evaluateReadiness([
      gate("Checklist: Tests", "pass"),
      gate("Checklist: Coverage", "missing"),
      gate("Checklist: Security", "error"),
    ]);
    expect(r).toMatchObject({
      status: "fail",
      conclusion: "failure",
      title: "Not ready: Coverage, Security",
    });
  });
  it("waits while a required gate is pending and nothing blocks", () => {
    const r = evaluateReadiness([gate("Checklist: Tests", "pending"), gate("Checklist: Docs", "pass")]);
    expect(r).toMatchObject({ status: "pending", conclusion: null, title: "Waiting for Tests" });
  });
  it("never passes with no gates", () => {
    expect(evaluateReadiness([])).toMatchObject({ status: "missing", conclusion: "failure" });
  });
});

describe("renderCheckRunOutput and planCheckRunWrites", () => {
  const cfg = checklistSection.parse({});
  const result = evaluateGate("compliance", { ok: true, value: { body: "- [x] a" } }, cfg);
  it("renders a completed run with a stable hash of its content", () => {
    const out = renderCheckRunOutput(result);
    expect(out).toMatchObject({
      name: "Checklist: Compliance",
      status: "completed",
      conclusion: "success",
      output: { title: "All 1 compliance items checked" },
    });
    expect(out.externalId).toMatch(/^release-pilot:checklist:[0-9a-f]{32}$/);
    expect(renderCheckRunOutput(result).externalId).toBe(out.externalId);
    const other = evaluateGate("compliance", { ok: true, value: { body: "- [ ] a" } }, cfg);
    expect(renderCheckRunOutput(other).externalId).not.toBe(out.externalId);
  });
  it("renders a pending gate as in progress with no conclusion", () => {
    const out = renderCheckRunOutput(gate("Checklist: Tests", "pending"));
    expect(out.status).toBe("in_progress");
    expect("conclusion" in out).toBe(false);
  });
  it("truncates summaries GitHub would reject", () => {
    const big = { ...result, summary: "x".repeat(70000) };
    expect(renderCheckRunOutput(big).output.summary.length).toBeLessThanOrEqual(65535);
  });
  it("creates new runs, updates changed ones and skips unchanged ones", () => {
    const a = renderCheckRunOutput(result);
    const b = renderCheckRunOutput(gate("Checklist: Tests", "fail"));
    const c = renderCheckRunOutput(gate("Checklist: Docs", "pass"));
    const writes = planCheckRunWrites(
      [a, b, c],
      [
        { id: 1, name: a.name, externalId: a.externalId },
        { id: 2, name: b.name, externalId: "release-pilot:checklist:old" },
        { id: 3, name: b.name, externalId: b.externalId },
      ],
    );
    expect(writes).toEqual([{ kind: "create", run: c }]);
    expect(planCheckRunWrites([b], [{ id: 5, name: b.name, externalId: "old" }])).toEqual([
      { kind: "update", id: 5, run: b },
    ]);
    expect(planCheckRunWrites([a], [{ id: 1, name: a.name, externalId: a.externalId }], true)).toEqual([
      { kind: "create", run: a },
    ]);
  });
});
