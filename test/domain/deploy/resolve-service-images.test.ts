import { describe, expect, it } from "@jest/globals";
import { parseDeployPayload } from "../../../src/domain/deploy/deploy-payload.js";
import { resolveServiceImages, versionOfImage } from "../../../src/domain/deploy/resolve-service-images.js";

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
      kind: "ok",
      services: [
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
    expect(result).toEqual({ kind: "error", message: expect.stringContaining("`NoImage`") });
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
