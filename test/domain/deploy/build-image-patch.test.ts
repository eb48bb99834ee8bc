import { describe, expect, it } from "@jest/globals";
import { buildImagePatch } from "../../../src/domain/deploy/build-image-patch.js";
import { type Deployment } from "../../../src/domain/deploy/workload.js";

const d: Deployment = {
  metadata: { name: "web" },
  spec: {
    template: {
      spec: {
        containers: [
          { name: "web", image: "web:1" },
          { name: "proxy", image: "envoy:1" },
        ],
      },
    },
  },
};

describe("buildImagePatch (kubectl set image)", () => {
  it("builds the strategic merge patch with the element order", () => {
    expect(buildImagePatch(d, "web", "web:2")).toEqual({
      ok: true,
      value: {
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": [{ name: "web" }, { name: "proxy" }],
              containers: [{ name: "web", image: "web:2" }],
            },
          },
        },
      },
    });
  });

  it("returns undefined when the image is already set, and handles *", () => {
    expect(buildImagePatch(d, "web", "web:1")).toEqual({ ok: true, value: undefined });
    const all = buildImagePatch(d, "*", "web:1");
    expect(all.ok && all.value?.spec.template.spec.containers).toEqual([{ name: "proxy", image: "web:1" }]);
  });

  it("fails with a typed error for a missing container", () => {
    expect(buildImagePatch(d, "nope", "x")).toEqual({
      ok: false,
      error: {
        kind: "no-such-container",
        container: "nope",
        available: ["web", "proxy"],
        message: 'unable to find container named "nope"',
      },
    });
  });
});
