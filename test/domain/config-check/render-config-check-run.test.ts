import { describe, expect, it } from "@jest/globals";
import {
  CONFIG_CHECK_NAME,
  renderConfigCheckRun,
} from "../../../src/domain/config-check/render-config-check-run.js";

const path = ".github/release-pilot.yml";

describe("renderConfigCheckRun", () => {
  it("a valid file: a completed success naming the files it extends", () => {
    const run = renderConfigCheckRun({
      path,
      valid: true,
      errors: [],
      files: [path, "acme/.github:release-pilot/base.yml"],
    });
    expect(run).toMatchObject({
      name: CONFIG_CHECK_NAME,
      status: "completed",
      conclusion: "success",
      output: {
        title: "The release-pilot config is valid",
        summary: `\`${path}\` is valid (with acme/.github:release-pilot/base.yml).`,
      },
    });
    expect(run.externalId).toMatch(/^release-pilot:config:[0-9a-f]{32}$/);
  });

  it("an invalid file: a failure listing each problem as inert text", () => {
    const run = renderConfigCheckRun({
      path,
      valid: false,
      errors: ["environments.production.namespace: Required", "@org/everyone <img src=x> [x](https://evil)"],
      files: [],
    });
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe(`2 problem(s) in ${path}`);
    expect(run.output.summary).toBe(
      "- `environments.production.namespace: Required`\n- `@org/everyone <img src=x> [x](https://evil)`",
    );
  });

  it("thousands of long problems stay under GitHub's summary limit, cut at a whole line with a count", () => {
    // POST /repos/{owner}/{repo}/check-runs rejects output.summary above 65535 characters.
    const errors = Array.from({ length: 5000 }, (_, i) => `problem ${i}: ${"x".repeat(2000)}`);
    const run = renderConfigCheckRun({ path, valid: false, errors, files: [] });
    expect(run.output.summary.length).toBeLessThanOrEqual(65000);
    const lines = run.output.summary.split("\n");
    expect(lines.at(-1)).toBe(`- … and ${5000 - (lines.length - 1)} more problem(s)`);
    expect(lines.slice(0, -1).every((line) => /^- `problem \d+: x+…`$/.test(line))).toBe(true);
    expect(run.output.title).toBe(`5000 problem(s) in ${path}`);
  });

  it("the external id follows what is shown", () => {
    const a = renderConfigCheckRun({ path, valid: false, errors: ["a"], files: [] });
    const same = renderConfigCheckRun({ path, valid: false, errors: ["a"], files: [] });
    const other = renderConfigCheckRun({ path, valid: false, errors: ["b"], files: [] });
    expect(same.externalId).toBe(a.externalId);
    expect(other.externalId).not.toBe(a.externalId);
  });
});
