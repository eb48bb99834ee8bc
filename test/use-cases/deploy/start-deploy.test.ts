import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ClusterError } from "../../../src/ports/cluster.js";
import { staticClusterProvider } from "../../../src/ports/cluster-provider.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const config = (extra: Record<string, unknown> = {}) => configWith({ staging: stagingEnv(extra) });
const deploy = (version?: string, cfg = config(), env = "staging") =>
  startDeploy(w.deps, { ...w.call(cfg), command: { env, version } });

describe("/deploy: the reply within the webhook", () => {
  it("answers in-progress with each image change, records a queued Deployment and holds the lock", async () => {
    const result = await deploy("1.2.0");
    expect(result.reason).toBe("in-progress");
    expect(result.message).toContain(
      "`ghcr.io/duqueom/bankchurn-api:1.1.0` → `ghcr.io/duqueom/bankchurn-api:1.2.0`",
    );
    const [record] = w.records.all;
    expect(record).toMatchObject({
      environment: "staging",
      ref: "v1.2.0",
      task: "deploy",
      requireGreen: false,
    });
    expect(
      record?.payload.services.map((s) => [s.deployment, s.image, s.previousRevision, s.previousHealthy]),
    ).toEqual([
      ["bankchurn", "ghcr.io/duqueom/bankchurn-api:1.2.0", 1, true],
      ["carvision", "ghcr.io/duqueom/carvision-api:1.2.0", 1, true],
    ]);
    expect(w.locks.history[0]).toBe("acquire staging deploy");
    await w.jobs.idle();
  });

  it("deploys the latest release when no version is given", async () => {
    expect((await deploy(undefined)).reason).toBe("in-progress");
    expect(w.records.all[0]?.payload.version).toBe("1.2.0");
  });

  it("refuses a locked environment with the lock's details and records nothing", async () => {
    await w.locks.acquire({
      env: "staging",
      holder: "oncall",
      reason: "incident 42",
      since: "2026-01-01T00:00:00Z",
      kind: "manual",
    });
    const result = await deploy("1.2.0");
    expect(result.reason).toBe("refused-locked");
    expect(result.message).toContain("@oncall");
    expect(result.message).toContain("incident 42");
    expect(w.records.all).toHaveLength(0);
    expect(w.locks.locks.get("staging")?.holder).toBe("oncall");
  });

  it("refuses an untagged version where only released versions go", async () => {
    const result = await deploy("1.3.0", config({ gates: { releasedOnly: true } }));
    expect(result.reason).toBe("refused-gate");
    expect(result.message).toContain("v1.3.0");
    expect(w.locks.locks.size).toBe(0);
  });

  it("deploys an untagged version from the main branch where the gate is off", async () => {
    expect((await deploy("1.3.0")).reason).toBe("in-progress");
    expect(w.records.all[0]?.ref).toBe("main");
  });

  it("asks GitHub to check the ref's statuses when the readiness gate is on, and releases the lock on refusal", async () => {
    w.records.refuse = "Conflict: Commit status checks failed for v1.2.0.";
    const result = await deploy("1.2.0", config({ gates: { readiness: true } }));
    expect(result).toMatchObject({ reason: "refused-gate" });
    expect(result.message).toContain("status checks failed");
    expect(w.locks.locks.size).toBe(0);
  });

  it("names unknown environments and clusters", async () => {
    expect(await deploy("1.2.0", config(), "qa")).toMatchObject({ reason: "not-found" });
    const other = configWith({ staging: stagingEnv({ cluster: "elsewhere" }) });
    const result = await deploy("1.2.0", other);
    expect(result.reason).toBe("bad-config");
    expect(result.message).toContain("KUBECONFIG_ELSEWHERE");
  });

  it("refuses a service whose container the Deployment lacks, and frees the lock", async () => {
    const cfg = configWith({
      staging: stagingEnv({
        services: [{ name: "BankChurn-Predictor", deployment: "bankchurn", container: "api" }],
      }),
    });
    const result = await deploy("1.2.0", cfg);
    expect(result.reason).toBe("bad-config");
    expect(result.message).toContain('unable to find container named "api"');
    expect(w.locks.locks.size).toBe(0);
    expect(w.records.all).toHaveLength(0);
  });

  it("names the permission to grant when the cluster refuses its first read, and frees the lock", async () => {
    // The API server's answer to a role without `get` on deployments (RBAC,
    // https://kubernetes.io/docs/reference/access-authn-authz/rbac/): 403 Forbidden.
    const cluster = w.deps.clusters.get("main");
    if (!cluster) throw new Error("the world has a cluster named main");
    const refusing = Object.create(cluster) as typeof cluster;
    refusing.getDeployment = async (namespace, name) => {
      throw new ClusterError(
        "forbidden",
        `deployments.apps "${name}" is forbidden: User "system:serviceaccount:release-pilot:release-pilot" cannot get resource "deployments" in API group "apps" in the namespace "${namespace}"`,
        403,
      );
    };
    const patchesBefore = w.fake.requests.filter((r) => r.method === "PATCH").length;
    const result = await startDeploy(
      { ...w.deps, clusters: staticClusterProvider({ main: refusing }) },
      { ...w.call(config()), command: { env: "staging", version: "1.2.0" } },
    );
    expect(result.reason).toBe("failed");
    expect(result.message).toBe(
      "❌ Cannot deploy **1.2.0** to `staging`: Kubernetes refused release-pilot permission (403): give the app's role `get` on `deployments` (API group `apps`) in the namespace `ml` (see docs/kubernetes.md), then run `/deploy staging 1.2.0` again. Nothing was changed.",
    );
    expect(w.locks.locks.size).toBe(0);
    expect(w.records.all).toHaveLength(0);
    expect(w.fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(patchesBefore);
  });

  it("refuses a version with build metadata before locking, recording or patching anything", async () => {
    const result = await deploy("1.2.0+build.1");
    expect(result.reason).toBe("bad-command");
    expect(result.message).toBe(
      "Cannot deploy to `staging`: **1.2.0+build.1** cannot be an image tag: OCI tags cannot hold `+`, so a version with build metadata has no image; deploy `1.2.0` (build metadata does not change the version).",
    );
    expect(w.locks.history).toEqual([]);
    expect(w.records.all).toHaveLength(0);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
  });
});
