import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  doneSteps,
  failedStep,
  isShipComplete,
  markStepDone,
  markStepFailed,
  parseShipState,
  planShipSteps,
  remainingSteps,
  renderShipProgress,
  shipStepIds,
  startShipProgress,
  stopShipProgressBefore,
} from "../../../src/domain/ship/ship-progress.js";

describe("the ship sequence", () => {
  it("plans models only when configured and the issue's steps only with an issue; the PR's comment is last", () => {
    expect(planShipSteps({ models: false, issue: false })).toEqual([
      "tag",
      "release",
      "images",
      "back-merge",
      "pull-comment",
    ]);
    expect(planShipSteps({ models: true, issue: true })).toEqual([...shipStepIds]);
    expect(planShipSteps({ models: true, issue: true }).at(-1)).toBe("pull-comment");
  });

  it("tracks done, failed and remaining steps", () => {
    let p = startShipProgress("v1.2.0", planShipSteps({ models: false, issue: true }));
    expect(isShipComplete(p)).toBe(false);
    p = markStepDone(p, "tag");
    p = markStepDone(p, "release", "draft");
    p = markStepFailed(p, "images", { system: "GitHub", message: "GitHub answered 502." });
    expect(doneSteps(p)).toEqual(["tag", "release"]);
    expect(remainingSteps(p)).toEqual([
      "images",
      "back-merge",
      "issue-comment",
      "close-issue",
      "pull-comment",
    ]);
    expect(failedStep(p)).toEqual({ id: "images", system: "GitHub", message: "GitHub answered 502." });
    for (const id of remainingSteps(p)) p = markStepDone(p, id);
    expect(isShipComplete(p)).toBe(true);
    expect(failedStep(p)).toBeUndefined();
  });

  it("a read failing before the first step: nothing done, every step remaining, the system named, no Markdown breakout", () => {
    const p = stopShipProgressBefore(
      startShipProgress("v1.2.0", planShipSteps({ models: false, issue: true })),
      {
        reading: "tracking issue",
        system: "GitHub",
        message: "GitHub answered 502.\n### injected <!-- x -->",
      },
    );
    expect(isShipComplete(p)).toBe(false);
    expect(doneSteps(p)).toEqual([]);
    expect(remainingSteps(p)).toEqual(planShipSteps({ models: false, issue: true }));
    const body = renderShipProgress(p);
    expect(body).toContain(
      "Nothing is done yet: reading the tracking issue failed before the first step: GitHub answered 502. ### injected  x ",
    );
    expect(body).not.toContain("\n### injected");
    expect(body).not.toContain("- ✅");
    expect(parseShipState(body)).toEqual({ done: [], complete: false });
    // Steps an earlier run recorded stay done: "nothing is done" is said only when true.
    const later = renderShipProgress(markStepDone(p, "tag"));
    expect(later).toContain(
      "Reading the tracking issue failed before the remaining steps: GitHub answered 502.",
    );
    expect(later).not.toContain("Nothing is done yet");
    expect(later).toContain("- ✅ tag on the merge commit");
  });

  it("renders what is done, what failed on which system and what remains, and reads its state back", () => {
    let p = startShipProgress("v1.2.0", planShipSteps({ models: false, issue: false }));
    p = markStepDone(p, "tag");
    p = markStepFailed(p, "release", { system: "GitHub", message: "GitHub answered 500." });
    const body = renderShipProgress(p);
    expect(body).toContain("<!-- release-pilot:ship-progress:v1.2.0 -->");
    expect(body).toContain("### ⚠️ Shipping v1.2.0 stopped");
    expect(body).toContain("The GitHub release failed: GitHub answered 500.");
    expect(body).toContain("- ✅ tag on the merge commit");
    expect(body).toContain("- ❌ GitHub release: GitHub answered 500.");
    expect(body).toContain("- ⏳ back-merge into develop: remains");
    expect(parseShipState(body)).toEqual({ done: ["tag"], failed: "release", complete: false });
    for (const id of remainingSteps(p)) p = markStepDone(p, id);
    const complete = renderShipProgress(p);
    expect(complete).toContain("### ✅ Shipping v1.2.0 completed");
    expect(complete).not.toContain("/ship");
    expect(parseShipState(complete)?.complete).toBe(true);
  });

  it("keeps a crafted failure message on one line, without closing the hidden markers", () => {
    let p = startShipProgress("v1.2.0", ["tag"]);
    p = markStepFailed(p, "tag", {
      system: "GitHub",
      message:
        'boom -->\n\n## injected\n<!-- release-pilot:ship-state {"done":[],"complete":true} -->' +
        "x".repeat(5000),
    });
    const body = renderShipProgress(p);
    expect(body.match(/-->/g)).toHaveLength(2);
    expect(body).not.toContain("\n## injected");
    expect(parseShipState(body)).toEqual({ done: [], failed: "tag", complete: false });
    expect(body.length).toBeLessThan(1500);
  });

  it("never throws on any comment body, and only reports known steps", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const state = parseShipState(`<!-- release-pilot:ship-state ${text} -->`);
        if (state) for (const id of state.done) expect(shipStepIds).toContain(id);
      }),
    );
    expect(
      parseShipState('<!-- release-pilot:ship-state {"done":["tag","rm -rf"],"complete":false} -->'),
    ).toEqual({
      done: ["tag"],
      failed: undefined,
      complete: false,
    });
    expect(
      parseShipState('<!-- release-pilot:ship-state {"done":"tag","complete":false} -->'),
    ).toBeUndefined();
    expect(parseShipState(undefined)).toBeUndefined();
  });
});
