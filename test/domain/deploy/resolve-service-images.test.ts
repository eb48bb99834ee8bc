import { describe, expect, it } from "@jest/globals";
import { parseDeployPayload } from "../../../src/domain/deploy/deploy-payload.js";
import {
  imageTagProblem,
  resolveServiceImages,
  versionOfImage,
} from "../../../src/domain/deploy/resolve-service-images.js";

describe("resolveServiceImages", () => {
  const projects = [
    { name: "BankChurn-Predictor", image: "ghcr.io/duqueom/bankchurn-api" },
    { name: "NoImage" },
  ];

  it("tags the project's image, or the service's own, with the version", () => {
    expect(
      resolveServiceImages(
        [
          { name: "BankChurn-Predictor", deployment: "bankchurn", container: "api" },
          { name: "Other", deployment: "other", container: "other", image: "registry.local:5000/other" },
        ],
        projects,
        "1.2.0",
      ),
    ).toEqual({
      ok: true,
      value: [
        {
          name: "BankChurn-Predictor",
          deployment: "bankchurn",
          container: "api",
          image: "ghcr.io/duqueom/bankchurn-api:1.2.0",
        },
        { name: "Other", deployment: "other", container: "other", image: "registry.local:5000/other:1.2.0" },
      ],
    });
  });

  it("names a service without any image", () => {
    const result = resolveServiceImages(
      [{ name: "NoImage", deployment: "x", container: "x" }],
      projects,
      "1.0.0",
    );
    expect(result).toEqual({ ok: false, error: expect.stringContaining("`NoImage`") });
  });

  it("reads the version of an image reference, ignoring registry ports", () => {
    expect(versionOfImage("ghcr.io/a/b:1.2.0")).toBe("1.2.0");
    expect(versionOfImage("registry.local:5000/b")).toBeUndefined();
    expect(versionOfImage("registry.local:5000/b:2.0.0-rc.1")).toBe("2.0.0-rc.1");
    expect(versionOfImage(undefined)).toBeUndefined();
  });
});

describe("parseDeployPayload", () => {
  it("accepts our payload and ignores anybody else's", () => {
    const ours = {
      app: "release-pilot",
      action: "deploy",
      version: "1.2.0",
      cluster: "staging",
      namespace: "ml",
      services: [{ name: "a", deployment: "a", container: "a", image: "a:1.2.0", previousRevision: 1 }],
      issue: 3,
      actor: "dev",
    };
    expect(parseDeployPayload(ours)).toEqual(ours);
    expect(parseDeployPayload({})).toBeUndefined();
    expect(parseDeployPayload({ ...ours, app: "other" })).toBeUndefined();
    expect(parseDeployPayload(null)).toBeUndefined();
  });
});

// The OCI distribution spec's tag grammar, [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}:
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
describe("imageTagProblem", () => {
  it.each(["1.2.0", "1.2.0-rc.1", "sha-abc1234", "v1.2.0", "_x", "a".repeat(128)])("%s is a tag", (v) => {
    expect(imageTagProblem(v)).toBeUndefined();
  });

  it("refuses build metadata and names the version that has an image", () => {
    expect(imageTagProblem("1.2.0+build.1")).toBe(
      "**1.2.0+build.1** cannot be an image tag: OCI tags cannot hold `+`, so a version with build metadata has no image; deploy `1.2.0` (build metadata does not change the version)",
    );
    const service = { name: "BankChurn-Predictor", deployment: "bankchurn", container: "api" };
    expect(
      resolveServiceImages([service], [{ name: "BankChurn-Predictor", image: "r/b" }], "1.2.0+build.1"),
    ).toMatchObject({ ok: false, error: expect.stringContaining("cannot hold `+`") });
  });

  it.each([".hidden", "-x", "a".repeat(129), "1.2.0/../x", "1.2.0 ", "1.2.0:latest", ""])(
    "refuses %j with the grammar",
    (v) => {
      expect(imageTagProblem(v)).toContain("OCI tags are letters, digits");
    },
  );
});
