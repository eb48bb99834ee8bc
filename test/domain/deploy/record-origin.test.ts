import { describe, expect, it } from "@jest/globals";
import { decideRecordOrigin } from "../../../src/domain/deploy/record-origin.js";
import { decideResume } from "../../../src/domain/deploy/decide-resume.js";
import type { DeployPayload } from "../../../src/domain/deploy/deploy-payload.js";
import { configSchema } from "../../../src/config/schema.js";

const self = { id: 777, slug: "release-pilot" };

describe("decideRecordOrigin", () => {
  // Shapes of `deployment.creator` / `performed_via_github_app` as GitHub returns them
  // (https://docs.github.com/en/rest/deployments/deployments#get-a-deployment).
  it.each([
    ["this App's installation", { login: "release-pilot[bot]", type: "Bot", viaAppId: 777 }, "ours"],
    [
      "this App's installation, no performed_via_github_app",
      { login: "release-pilot[bot]", type: "Bot", viaAppId: undefined },
      "ours",
    ],
    [
      "the bot login in another case",
      { login: "Release-Pilot[bot]", type: "Bot", viaAppId: undefined },
      "ours",
    ],
    ["a person's token", { login: "developer", type: "User", viaAppId: undefined }, "foreign"],
    ["a person named like the app", { login: "release-pilot", type: "User", viaAppId: undefined }, "foreign"],
    [
      "a User claiming the bot login",
      { login: "release-pilot[bot]", type: "User", viaAppId: undefined },
      "foreign",
    ],
    ["Actions' GITHUB_TOKEN", { login: "github-actions[bot]", type: "Bot", viaAppId: 15368 }, "foreign"],
    ["another app", { login: "deployer[bot]", type: "Bot", viaAppId: 12 }, "foreign"],
    [
      "this App acting for a person (user token)",
      { login: "developer", type: "User", viaAppId: 777 },
      "foreign",
    ],
    [
      "our bot login via another app's id",
      { login: "release-pilot[bot]", type: "Bot", viaAppId: 12 },
      "foreign",
    ],
    ["a deleted account (creator null)", { login: "", type: "", viaAppId: undefined }, "foreign"],
  ] as const)("%s → %s", (_name, creator, kind) => {
    expect(decideRecordOrigin(creator, self).kind).toBe(kind);
  });

  it("says who created a foreign record", () => {
    expect(decideRecordOrigin({ login: "mallory", type: "User", viaAppId: undefined }, self)).toEqual({
      kind: "foreign",
      reason: "created by @mallory (User), not by release-pilot[bot]",
    });
  });
});

describe("decideResume", () => {
  const config = configSchema.parse({
    release: { projects: [{ name: "api", path: "api", image: "ghcr.io/acme/api" }] },
    environments: {
      production: {
        cluster: "prod",
        namespace: "shop",
        services: [{ name: "api", deployment: "api", container: "api" }],
      },
    },
  });
  const env = config.environments.production!;
  const payload = (
    over: Partial<DeployPayload> = {},
    service: Partial<DeployPayload["services"][number]> = {},
  ): DeployPayload => ({
    app: "release-pilot",
    action: "deploy",
    version: "1.2.0",
    cluster: "prod",
    namespace: "shop",
    services: [
      {
        name: "api",
        deployment: "api",
        container: "api",
        image: "ghcr.io/acme/api:1.2.0",
        previousImage: "ghcr.io/acme/api:1.1.0",
        ...service,
      },
    ],
    issue: 1,
    actor: "m",
    ...over,
  });
  const decide = (p: DeployPayload) => decideResume(p, "production", env, config.release.projects ?? []);

  it("resumes a record that matches the config (a rollback naming its service by Deployment too)", () => {
    expect(decide(payload())).toEqual({ kind: "resume" });
    expect(decide(payload({ action: "rollback" }, { name: "api-deployment-name" }))).toEqual({
      kind: "resume",
    });
    expect(decide(payload({}, { image: "ghcr.io/acme/api@sha256:" + "a".repeat(64) }))).toEqual({
      kind: "resume",
    });
  });

  it.each([
    ["another namespace", payload({ namespace: "kube-system" }), "namespace `kube-system`"],
    ["another cluster", payload({ cluster: "other" }), "cluster `other`"],
    ["a Deployment the config does not name", payload({}, { deployment: "coredns" }), "`coredns`"],
    ["another container", payload({}, { container: "sidecar" }), "container `sidecar`"],
    ["an attacker's image", payload({}, { image: "evil.example/miner:1.2.0" }), "evil.example/miner:1.2.0"],
    ["an attacker's fallback image", payload({}, { previousImage: "ghcr.io/acme/api-evil:1" }), "api-evil"],
    [
      "a workflow driver",
      payload({ driver: { kind: "workflow", workflow: "d.yml", ref: "main" } }),
      "workflow driver",
    ],
  ])("refuses %s", (_name, p, fragment) => {
    const decision = decide(p);
    expect(decision.kind).toBe("refuse");
    expect(decision.kind === "refuse" && decision.reason).toContain(fragment);
  });
});
