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
const config = configWith({ staging: stagingEnv() });
const PATCH = "/apis/apps/v1/namespaces/ml/deployments/carvision";

describe("all or nothing per environment", () => {
  it("a persistent 409 on the second (last) service's patch puts the first back and lists each service's state", async () => {
    // The adapter retries a plain patch's 409; this one outlasts the retries (the API server keeps
    // answering Conflict, as when another controller keeps writing the object).
    w.fake.faults.add({ method: "PATCH", path: PATCH, status: 409 });
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    const reply = w.replies.at(-1) ?? "";
    expect(reply).toMatch(
      /^❌ Deploy of \*\*1\.2\.0\*\* to `staging` failed: `carvision` could not be patched \(Kubernetes answered 409: patch deployment ml\/carvision: injected fault 409\)\. Any service patched before it was put back/,
    );
    expect(reply).toContain("- `bankchurn`: put back on `ghcr.io/duqueom/bankchurn-api:1.1.0`");
    expect(reply).toContain(
      "- `carvision`: not patched (Kubernetes answered 409: patch deployment ml/carvision: injected fault 409); still on `ghcr.io/duqueom/carvision-api:1.1.0`",
    );
    expect(reply).toContain("`/deploy staging 1.2.0` tries again.");
    for (const name of ["bankchurn", "carvision"])
      expect(w.imageOf(name)).toBe(`ghcr.io/duqueom/${name}-api:1.1.0`);
    expect(w.records.states(100)).toEqual(["in_progress", "error"]);
    expect(w.locks.locks.has("staging")).toBe(false);

    // The conflict gone, the same command deploys every service, each patched once.
    w.fake.faults.clear();
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    for (const name of ["bankchurn", "carvision"])
      expect(w.imageOf(name)).toBe(`ghcr.io/duqueom/${name}-api:1.2.0`);
  });

  it("a transient 409 is retried by the adapter and the deploy succeeds", async () => {
    w.fake.faults.add({ method: "PATCH", path: PATCH, status: 409, times: 1 });
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.2.0");
  });
});
