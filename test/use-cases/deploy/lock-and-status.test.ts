import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { lockEnvironment, unlockEnvironment } from "../../../src/use-cases/deploy/lock-environment.js";
import { scaleService } from "../../../src/use-cases/deploy/scale-service.js";
import { showStatus } from "../../../src/use-cases/deploy/show-status.js";
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

describe("/lock and /unlock", () => {
  it("locks with who and why, refuses deploys meanwhile, and unlocks", async () => {
    const locked = await lockEnvironment(w.deps, {
      ...w.call(config, "oncall"),
      command: {
        env: "staging",
        reason: "incident 42",
      },
    });
    expect(locked.reason).toBe("done");
    expect(w.locks.locks.get("staging")).toMatchObject({
      holder: "oncall",
      reason: "incident 42",
      kind: "manual",
    });
    expect(
      (
        await lockEnvironment(w.deps, {
          ...w.call(config, "oncall"),
          command: { env: "staging", reason: "" },
        })
      ).reason,
    ).toBe("already-done");
    const other = await lockEnvironment(w.deps, {
      ...w.call(config, "dev"),
      command: { env: "staging", reason: "mine" },
    });
    expect(other.reason).toBe("refused-locked");
    const refused = await startDeploy(w.deps, {
      ...w.call(config),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(refused.reason).toBe("refused-locked");
    expect(refused.message).toContain("incident 42");
    const unlocked = await unlockEnvironment(w.deps, { ...w.call(config), command: { env: "staging" } });
    expect(unlocked).toMatchObject({ reason: "done" });
    expect(unlocked.message).toContain("held by @oncall");
    expect((await unlockEnvironment(w.deps, { ...w.call(config), command: { env: "staging" } })).reason).toBe(
      "already-done",
    );
    expect(
      (await lockEnvironment(w.deps, { ...w.call(config), command: { env: "qa", reason: "" } })).reason,
    ).toBe("not-found");
  });
});

describe("/status", () => {
  it("shows the version per service from the cluster, the last deploy, and the lock", async () => {
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    await lockEnvironment(w.deps, {
      ...w.call(config, "oncall"),
      command: { env: "staging", reason: "freeze" },
    });
    const result = await showStatus(w.deps, { ...w.call(config), command: {} });
    expect(result.reason).toBe("done");
    expect(result.message).toContain(
      "| `bankchurn` | 1.2.0 | `ghcr.io/duqueom/bankchurn-api:1.2.0` | 2 | 2/2 | ✅ done | — |",
    );
    expect(result.message).toContain("Last successful deploy: **1.2.0**");
    expect(result.message).toContain("🔒 Locked by @oncall");
    expect((await showStatus(w.deps, { ...w.call(config), command: { env: "qa" } })).reason).toBe(
      "not-found",
    );
  });

  it("says which cluster could not be read", async () => {
    const other = configWith({ staging: stagingEnv({ cluster: "gone" }) });
    const result = await showStatus(w.deps, { ...w.call(other), command: { env: "staging" } });
    expect(result.message).toContain("no connection for cluster `gone`");
  });
});

describe("/scale", () => {
  it("scales one service by deployment or project name and records who did it on the Deployment", async () => {
    const result = await scaleService(w.deps, {
      ...w.call(config),
      command: {
        env: "staging",
        service: "bankchurn",
        replicas: 5,
      },
    });
    expect(result.reason).toBe("done");
    expect(result.message).toContain("scaled from 2 to 5");
    const d = w.fake.getDeployment("ml", "bankchurn");
    expect(d?.spec.replicas).toBe(5);
    expect(d?.metadata.annotations?.["release-pilot.io/last-scale"]).toMatch(/^2->5 by maintainer at /);
    expect(d?.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const again = await scaleService(w.deps, {
      ...w.call(config),
      command: {
        env: "staging",
        service: "BankChurn-Predictor",
        replicas: 5,
      },
    });
    expect(again.reason).toBe("already-done");
    expect(
      (
        await scaleService(w.deps, {
          ...w.call(config),
          command: { env: "staging", service: "nope", replicas: 1 },
        })
      ).reason,
    ).toBe("not-found");
  });
});
