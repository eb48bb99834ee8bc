import { describe, expect, it } from "@jest/globals";
import {
  PREVIOUS_IMAGE_ANNOTATION,
  buildAbortPlan,
  buildCanaryPlan,
  buildPromotePlan,
  replicasForWeight,
} from "../../../src/domain/deploy/build-canary-plan.js";
import { type Deployment } from "../../../src/domain/deploy/workload.js";

const dep = (
  name: string,
  image: string,
  replicas: number,
  annotations?: Record<string, string>,
): Deployment => ({
  metadata: { name, namespace: "ml-production", ...(annotations ? { annotations } : {}) },
  spec: { replicas, template: { spec: { containers: [{ name: "bankchurn", image }] } } },
});
const main = dep("bankchurn", "ghcr.io/duqueom/bankchurn-api:1.1.0", 9);
const idle = dep("bankchurn-canary", "ghcr.io/duqueom/bankchurn-api:1.1.0", 0);

describe("canary plans", () => {
  it("replicas from a weight: canary share of all pods", () => {
    expect(replicasForWeight(9, 10)).toBe(1);
    expect(replicasForWeight(10, 50)).toBe(10);
    expect(replicasForWeight(2, 1)).toBe(1);
  });

  it("start: new image (remembering the old one) then scale", () => {
    const r = buildCanaryPlan({
      main,
      canary: idle,
      image: "ghcr.io/duqueom/bankchurn-api:1.2.0",
      weightPercent: 10,
    });
    expect(r.kind).toBe("plan");
    if (r.kind !== "plan") return;
    expect(r.plan.namespace).toBe("ml-production");
    expect(r.plan.steps).toEqual([
      expect.objectContaining({
        kind: "patch",
        name: "bankchurn-canary",
        patch: expect.objectContaining({
          metadata: { annotations: { [PREVIOUS_IMAGE_ANNOTATION]: "ghcr.io/duqueom/bankchurn-api:1.1.0" } },
        }),
      }),
      expect.objectContaining({ kind: "scale", name: "bankchurn-canary", replicas: 1 }),
    ]);
  });

  it("start refuses bad weights, unknown containers, and no-ops", () => {
    expect(buildCanaryPlan({ main, canary: idle, image: "x", weightPercent: 100 })).toMatchObject({
      reason: "invalid-weight",
    });
    expect(buildCanaryPlan({ main, canary: idle, image: "x", container: "nope" })).toMatchObject({
      reason: "no-such-container",
    });
    const running = dep("bankchurn-canary", "img:2", 2);
    expect(buildCanaryPlan({ main, canary: running, image: "img:2", replicas: 2 })).toMatchObject({
      reason: "unchanged",
    });
  });

  it("promote: image to main, canary to 0, annotation forgotten", () => {
    const canary = dep("bankchurn-canary", "ghcr.io/duqueom/bankchurn-api:1.2.0", 1, {
      [PREVIOUS_IMAGE_ANNOTATION]: "ghcr.io/duqueom/bankchurn-api:1.1.0",
    });
    const r = buildPromotePlan({ main, canary });
    if (r.kind !== "plan") throw new Error(r.message);
    expect(r.plan.steps.map((s) => [s.kind, s.name])).toEqual([
      ["patch", "bankchurn"],
      ["scale", "bankchurn-canary"],
      ["patch", "bankchurn-canary"],
    ]);
    expect(r.plan.steps[0]).toMatchObject({
      patch: {
        spec: { template: { spec: { containers: [{ image: "ghcr.io/duqueom/bankchurn-api:1.2.0" }] } } },
      },
    });
    expect(buildPromotePlan({ main, canary: idle })).toMatchObject({ reason: "nothing-to-promote" });
  });

  it("abort: canary to 0 and its previous image back", () => {
    const canary = dep("bankchurn-canary", "img:2", 1, { [PREVIOUS_IMAGE_ANNOTATION]: "img:1" });
    const r = buildAbortPlan({ canary });
    if (r.kind !== "plan") throw new Error(r.message);
    expect(r.plan.steps[0]).toMatchObject({ kind: "scale", replicas: 0 });
    expect(r.plan.steps[1]).toMatchObject({
      kind: "patch",
      patch: {
        metadata: { annotations: { [PREVIOUS_IMAGE_ANNOTATION]: null } },
        spec: { template: { spec: { containers: [{ name: "bankchurn", image: "img:1" }] } } },
      },
    });
    expect(buildAbortPlan({ canary: idle })).toMatchObject({ reason: "no-canary" });
  });
});
