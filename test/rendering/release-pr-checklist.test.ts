import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/config/schema.js";
import { evaluateReadiness } from "../../src/domain/checklist/evaluate-readiness.js";
import { renderPullChecklist } from "../../src/domain/checklist/render-pull-checklist.js";
import type { GateResult } from "../../src/domain/checklist/types.js";
import { buildReleasePlan } from "../../src/domain/release/build-release-plan.js";
import { renderReleasePrBody, withChecklistSection } from "../../src/domain/release/release-pr-body.js";
import type { ReleasePlan, ReleasePlanError } from "../../src/domain/release/release-plan.js";
import type { Result } from "../../src/domain/result.js";
import { fixtureTree } from "../domain/release/fixture-tree.js";
import { blocks, headings, rawMarkers, renderGfm, requireCmarkInCi, tables } from "./gfm.js";

/** The plan, or the test fails with the reason it was refused. */
const planned = (result: Result<ReleasePlan, ReleasePlanError>): ReleasePlan => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

/**
 * The release PR body once the checklist has run, rendered by cmark-gfm: the "✅ Checklist"
 * section holds the verdict and a readiness table (one row per gate, four cells each), not the
 * placeholder, and the text others wrote stays inside code.
 */
const describeWithCmark = requireCmarkInCi() ? describe : describe.skip;

const gate = (over: Partial<GateResult> & Pick<GateResult, "gate" | "name" | "status">): GateResult => ({
  conclusion: over.status === "pass" ? "success" : over.status === "pending" ? null : "failure",
  required: true,
  title: "",
  summary: "",
  rows: [],
  ...over,
});

describeWithCmark("the release PR body's checklist section on GitHub (cmark-gfm)", () => {
  it("a verdict line and the readiness table, under the Checklist heading", () => {
    const plan = planned(
      buildReleasePlan({
        config: defaultConfig().release,
        request: { kind: "exact", version: "1.2.0" },
        files: fixtureTree(),
        latestTag: "v1.1.0",
        commits: [
          { sha: "a", message: "feat: batch", files: ["BankChurn-Predictor/api.py"], date: "2025-01-10" },
        ],
        date: "2025-01-15",
      }),
    );
    const readiness = evaluateReadiness(
      [
        gate({ gate: "tests", name: "Checklist: Tests", status: "pass", title: "2 checks passed" }),
        gate({
          gate: "versions",
          name: "Checklist: Version consistency",
          status: "fail",
          title: "1 version files do not say 1.2.0",
        }),
        gate({
          gate: "approvals",
          name: "Checklist: Approvals",
          status: "pending",
          title: "Waiting for @alice | @bob",
        }),
        gate({
          gate: "docs",
          name: "Checklist: Documentation",
          status: "fail",
          required: false,
          title: "README not updated",
        }),
      ],
      { "Checklist: Tests": "https://github.com/o/r/runs/11" },
    );
    const body = withChecklistSection(
      renderReleasePrBody(plan, undefined, 42),
      renderPullChecklist(readiness),
    );
    expect(body).toBeDefined();
    const html = renderGfm(body!);
    expect(headings(html)).toContain("h3 ✅ Checklist");
    expect(html).not.toContain("will appear here");
    const table = tables(html).find((t) => t.header.includes("Gate"));
    expect(table?.header).toEqual(["", "Gate", "", "Result"]);
    expect(table?.rows).toHaveLength(4);
    for (const row of table?.rows ?? []) expect(row).toHaveLength(4);
    expect(table?.rows[0]).toEqual([
      "✅",
      '<a href="https://github.com/o/r/runs/11">Tests</a>',
      "required",
      "<code>pass — 2 checks passed</code>",
    ]);
    // The escaped pipe stays inside its cell; the logins stay code, never mentions.
    expect(table?.rows[2]?.[3]).toBe("<code>pending — Waiting for @alice | @bob</code>");
    expect(table?.rows[3]?.[2]).toBe("advisory");
    expect(blocks(html)).toContain("❌ Not ready: Version consistency");
    expect(html).not.toMatch(/&lt;!--/);
    expect(rawMarkers(html)).toEqual([]);
  });
});
