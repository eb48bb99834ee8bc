import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultConfig } from "../../../src/config/schema.js";
import { buildReleasePlan } from "../../../src/domain/release/build-release-plan.js";
import type { ReleasePlan, ReleasePlanError } from "../../../src/domain/release/release-plan.js";
import type { Result } from "../../../src/domain/result.js";
import { parseReleasePrBody, renderReleasePrBody } from "../../../src/domain/release/release-pr-body.js";
import { fixtureTree } from "./fixture-tree.js";

/** The plan, or the test fails with the reason it was refused. */
const planned = (result: Result<ReleasePlan, ReleasePlanError>): ReleasePlan => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

const plan = planned(
  buildReleasePlan({
    config: defaultConfig().release,
    request: { kind: "exact", version: "1.2.0" },
    files: fixtureTree(),
    latestTag: "v1.1.0",
    commits: [
      {
        sha: "a",
        message: "feat: batch endpoint",
        files: ["BankChurn-Predictor/api.py"],
        date: "2025-01-10",
      },
    ],
    date: "2025-01-15",
  }),
);

describe("release PR body", () => {
  it("carries the issue that cut the release, and the compliance list", () => {
    const body = renderReleasePrBody(plan, undefined, 42);
    expect(parseReleasePrBody(body)).toEqual({
      ok: true,
      value: { version: "1.2.0", previousVersion: "1.1.0", issue: 42 },
    });
    expect(body).toContain("- [ ] Data privacy compliance (GDPR, etc.)");
    expect(body).toContain("- [ ] Stakeholder approval obtained");
  });

  it("shows version, files, notes preview and the checklist slot, and parses back", () => {
    const body = renderReleasePrBody(plan);
    expect(
      body.startsWith(
        '<!-- release-pilot: {"version":"1.2.0","previousVersion":"1.1.0"} -->\n## 🚀 Release v1.2.0',
      ),
    ).toBe(true);
    expect(body).toContain("| `BankChurn-Predictor/pyproject.toml` | 1.1.0 → 1.2.0 |");
    expect(body).toContain("| `CHANGELOG.md` | release notes |");
    expect(body).toContain(
      "### 📋 Release notes preview\n\n_Notes from 1 commit(s) (Unreleased is empty)._\n\n### Added\n- **BankChurn-Predictor**: Batch endpoint",
    );
    expect(body).toContain("<!-- release-pilot:checklist:start -->");
    expect(parseReleasePrBody(body)).toEqual({
      ok: true,
      value: { version: "1.2.0", previousVersion: "1.1.0" },
    });
    expect(renderReleasePrBody(plan, "- [x] Tests")).toContain(
      "<!-- release-pilot:checklist:start -->\n- [x] Tests\n<!-- release-pilot:checklist:end -->",
    );
  });

  it.each([
    ["no marker", "Just a PR", "no release-pilot marker"],
    ["bad json", "<!-- release-pilot: {version:1} -->", "the marker holds no valid JSON"],
    ["bad version", '<!-- release-pilot: {"version":"v1.2"} -->', "the marker holds no valid version"],
    ["not an object", "<!-- release-pilot: {} -->", "the marker holds no valid version"],
  ])("rejects %s", (_name, text, reason) => {
    expect(parseReleasePrBody(text)).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "parse-error", what: "release-pr-body", reason }),
    });
  });

  it("never throws on arbitrary bodies", () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (text, json) => {
        for (const body of [text, `<!-- release-pilot: ${JSON.stringify(json)} -->${text}`]) {
          const parsed = parseReleasePrBody(body);
          if (parsed.ok) expect(typeof parsed.value.version).toBe("string");
          else expect(parsed.error.what).toBe("release-pr-body");
        }
      }),
    );
  });
});
