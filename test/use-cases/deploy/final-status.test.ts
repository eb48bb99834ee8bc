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

describe("the Deployment's final status refused by GitHub", () => {
  it("refused once: retried, recorded, and the reply is the plain success", async () => {
    w.records.failStatus = { state: "success", times: 1 };
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    expect(w.records.states(100)).toEqual(["in_progress", "success"]);
    expect(w.replies.at(-1)).toMatch(/^✅ Deploy of \*\*1\.2\.0\*\* to `staging` succeeded\./);
    expect(w.replies.at(-1)).not.toContain("refused");
  });

  it("refused past the retries: the user hears the rollout succeeded and the record could not be written; nothing is rolled back", async () => {
    w.records.failStatus = { state: "success", times: 10 };
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    const reply = w.replies.at(-1) ?? "";
    expect(reply).toMatch(/^✅ Deploy of \*\*1\.2\.0\*\* to `staging` succeeded\./);
    expect(reply).toContain(
      "⚠️ GitHub refused the final status of deployment 100 (HTTP 502): the record still says in progress, although the rollout succeeded as said above.",
    );
    expect(reply).not.toContain("stopped");
    // Three tries, then left in progress for the next start to conclude; no error status written.
    expect(w.records.failStatus?.times).toBe(7);
    expect(w.records.states(100)).toEqual(["in_progress"]);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.postMortems).toEqual([]);
    expect(w.locks.locks.has("staging")).toBe(false);
  });

  it("a failed rollout whose failure status is refused still rolls back and says both", async () => {
    w.fake.failImages(/:9\.9\.9$/);
    w.records.failStatus = { state: "failure", times: 10 };
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "9.9.9" } });
    await w.jobs.idle();
    const reply = w.replies.at(-1) ?? "";
    expect(reply).toMatch(/^❌ Deploy of \*\*9\.9\.9\*\* to `staging` failed/);
    expect(reply).toContain("although the rollout failed as said above");
    expect(reply).toContain("Rolled back automatically");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
  });
});
