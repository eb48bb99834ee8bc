import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
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
const deployAndWait = async (version: string, cfg = config()) => {
  const before = w.records.all.length;
  const started = await startDeploy(w.deps, { ...w.call(cfg), command: { env: "staging", version } });
  expect(started.reason).toBe("in-progress");
  await w.jobs.idle();
  const record = w.records.all[before];
  if (!record) throw new Error("no deployment recorded");
  return record;
};

describe("/deploy: the background rollout", () => {
  it("sets every image, watches the rollouts, checks health, and ends in success with the environment URL", async () => {
    const record = await deployAndWait("1.2.0", config({ healthChecks: ["http://svc.test/health"] }));
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.2.0");
    expect(w.revisionOf("bankchurn")).toBe("2");
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(record.statuses.at(-1)?.environmentUrl).toBe("https://staging.example.com");
    expect(w.probes).toEqual(["http://svc.test/health"]);
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(w.replies.at(-1)).toContain('deployment "bankchurn" successfully rolled out');
    expect(w.rollouts).toEqual([
      { env: "staging", service: "bankchurn", result: "succeeded" },
      { env: "staging", service: "carvision", result: "succeeded" },
    ]);
    expect(w.locks.locks.size).toBe(0);
    expect(w.locks.claims.size).toBe(0);
  });

  it("does not patch a Deployment that already runs the image", async () => {
    await deployAndWait("1.2.0");
    const patches = () => w.fake.requests.filter((r) => r.method === "PATCH").length;
    const before = patches();
    const again = await deployAndWait("1.2.0");
    expect(patches()).toBe(before);
    expect(w.revisionOf("bankchurn")).toBe("2");
    expect(w.records.states(again.id).at(-1)).toBe("success");
    expect(w.replies.at(-1)).toContain("nothing was patched");
  });

  it("rolls a failed rollout back to the last good revision, not blindly the previous one", async () => {
    await deployAndWait("1.2.0"); // revision 2, verified
    w.fake.failImages(/:1\.2\.1$/);
    const broken = await deployAndWait("1.2.1", config({ autoRollback: false })); // revision 3, never good
    expect(w.records.states(broken.id).at(-1)).toBe("failure");
    expect(w.replies.at(-1)).toContain("exceeded its progress deadline");
    expect(w.replies.at(-1)).toContain("Automatic rollback is off");
    expect(w.postMortems).toHaveLength(0);

    w.fake.failImages(/:1\.3\.0$/);
    const failed = await deployAndWait("1.3.0"); // revision 4 fails; 3 was bad, 2 was good
    expect(w.records.states(failed.id)).toEqual(["in_progress", "failure"]);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.revisionOf("bankchurn")).toBe("5"); // revision 2's template, re-numbered like kubectl undo
    const rollback = w.records.all.at(-1);
    expect(rollback?.task).toBe("deploy:auto-rollback");
    expect(rollback?.payload.version).toBe("1.2.0");
    expect(rollback && w.records.states(rollback.id)).toEqual(["in_progress", "success"]);
    const reply = w.replies.at(-1) ?? "";
    expect(reply).toContain("❌ Deploy of **1.3.0** to `staging` failed");
    expect(reply).toContain("Rolled back automatically");
    expect(reply).toContain("`bankchurn` → revision 2 (`ghcr.io/duqueom/bankchurn-api:1.2.0`)");
    expect(w.rollouts.filter((r) => r.result === "rolled-back").map((r) => r.service)).toEqual([
      "bankchurn",
      "carvision",
    ]);
    expect(w.postMortems).toHaveLength(1);
    expect(w.postMortems[0]?.title).toBe("Post-mortem: staging rolled back from 1.3.0 to 1.2.0");
    expect(w.postMortems[0]?.labels).toEqual(["post-mortem"]);
    expect(w.postMortems[0]?.body).toContain("set image `bankchurn=ghcr.io/duqueom/bankchurn-api:1.3.0`");
    expect(w.postMortems[0]?.body).toContain("exceeded its progress deadline");
    expect(reply).toContain("Post-mortem: https://github.example/issues/901");
    expect(w.locks.locks.size).toBe(0);
  });

  it("rolls back to the revision it replaced when that one was healthy and nothing was verified", async () => {
    w.probeResults.set("http://svc.test/health", { ok: false, detail: "answered 503" });
    const record = await deployAndWait("1.2.0", config({ healthChecks: ["http://svc.test/health"] }));
    expect(w.records.states(record.id).at(-1)).toBe("failure");
    expect(w.probes).toHaveLength(3); // retried before giving up
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    expect(w.replies.at(-1)).toContain("health check http://svc.test/health failed: answered 503");
  });

  it("dispatches the smoke workflow on the deployed ref and rolls back when it fails", async () => {
    w.smoke.result = { kind: "failed", url: "https://github.example/runs/9", conclusion: "failure" };
    const record = await deployAndWait("1.2.0", config({ smokeWorkflow: "smoke.yml" }));
    expect(w.smoke.runs).toEqual([
      { workflow: "smoke.yml", ref: "v1.2.0", inputs: { environment: "staging", version: "1.2.0" } },
    ]);
    expect(w.records.states(record.id).at(-1)).toBe("failure");
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.1.0");
    expect(w.replies.at(-1)).toContain("smoke tests concluded **failure**");
    expect(w.replies.at(-1)).toContain("[smoke tests run](https://github.example/runs/9)");
  });

  it("rides out transient API server errors: 503s and a 409 on the patch are retried", async () => {
    const path = "/apis/apps/v1/namespaces/ml/deployments/bankchurn";
    w.fake.faults.add({ method: "PATCH", path, status: 503, times: 1 });
    w.fake.faults.add({ method: "PATCH", path, status: 409, times: 1 });
    const record = await deployAndWait("1.2.0");
    expect(w.records.states(record.id).at(-1)).toBe("success");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
  });

  it("ends in error and still releases the lock when the cluster refuses a write", async () => {
    w.fake.faults.add({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/ml/deployments/bankchurn",
      status: 403,
    });
    const record = await deployAndWait("1.2.0");
    expect(w.records.states(record.id)).toEqual(["in_progress", "error"]);
    // The refusal is named after Kubernetes, and every service's state is listed.
    expect(w.replies.at(-1)).toContain("`bankchurn` could not be patched (Kubernetes answered 403");
    expect(w.replies.at(-1)).toContain(
      "- `carvision`: not patched; still on `ghcr.io/duqueom/carvision-api:1.1.0`",
    );
    expect(w.locks.locks.size).toBe(0);
    expect(w.locks.claims.size).toBe(0);
  });

  it("is claimed by its record: no claim written, and no other instance drives it meanwhile", async () => {
    const record = await deployAndWait("1.2.0");
    expect(record.payload.watch).toMatchObject({ holder: "test" });
    expect(w.locks.claimHistory).toEqual([]);
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
  });

  it("does not drive a rollout another instance has claimed", async () => {
    // Its record's claim was taken over (the claim ref created) by another instance.
    const record = await deployAndWait("1.2.0");
    const { tryDriveDeploy } = await import("../../../src/use-cases/deploy/drive-deploy.js");
    const { deployJobFor } = await import("../../../src/use-cases/deploy/deploy-job.js");
    w.locks.setClaim(`deployment-${record.id}`, "other-instance");
    const job = {
      ...deployJobFor(w.call(config()), {
        env: "staging",
        envConfig: config().environments["staging"] as never,
        cluster: w.deps.clusters.get("main") as never,
        recordId: record.id,
        ref: record.ref,
        payload: record.payload,
        lock: { env: "staging", holder: "x", reason: "", since: "", kind: "deploy" as const },
      }),
      resumed: true,
    };
    expect(await tryDriveDeploy(w.deps, job)).toBe(false);
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
  });
});
