import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { runCanary } from "../../../src/use-cases/deploy/run-canary.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
  w.addCanaryTwins();
});
afterEach(async () => {
  await w.close();
});

const config = (canary: Record<string, unknown> = {}) => configWith({ staging: stagingEnv({ canary }) });
const run = async (command: Parameters<typeof runCanary>[1]["command"], cfg = config()) => {
  const result = await runCanary(w.deps, { ...w.call(cfg), command: command });
  await w.jobs.idle();
  return result;
};
const replicas = (name: string) => w.fake.getDeployment("ml", name)?.spec.replicas;

describe("/canary, /promote, /abort", () => {
  it("starts a canary with replicas from the weight, then promotes it to the main Deployment", async () => {
    const started = await run({ name: "canary", env: "staging", version: "1.2.0", weight: 34 });
    expect(started.reason).toBe("in-progress");
    expect(w.imageOf("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(replicas("bankchurn-canary")).toBe(1); // 34% of 2 main pods ≈ 1 canary pod
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    expect(w.replies.at(-1)).toContain("✅ Canary of **1.2.0** on `staging` done");
    expect(w.locks.locks.size).toBe(0);

    const promoted = await run({ name: "promote", env: "staging" });
    expect(promoted.reason).toBe("in-progress");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(replicas("bankchurn-canary")).toBe(0);
    expect(w.replies.at(-1)).toContain("✅ Promotion of **1.2.0** on `staging` done");
    const record = w.records.all.at(-1);
    expect(record).toMatchObject({ task: "deploy", ref: "v1.2.0" });
    expect(record && w.records.states(record.id)).toEqual(["success"]);
    const again = await run({ name: "promote", env: "staging" });
    expect(again.reason).toBe("not-found");
    expect(again.message).toMatch(/^No canary is running on `staging` \(`bankchurn-canary`, /);
    expect(again.message).toContain(`deployment ${record?.id ?? 0}, success`);
    expect(w.records.all).toHaveLength(1);
  });

  it("aborts a canary: scaled to 0 and its previous image restored", async () => {
    await run({ name: "canary", env: "staging", version: "1.2.0", replicas: 2 });
    expect(replicas("carvision-canary")).toBe(2);
    const aborted = await run({ name: "abort", env: "staging" });
    expect(aborted.reason).toBe("in-progress");
    expect(replicas("carvision-canary")).toBe(0);
    expect(w.imageOf("carvision-canary")).toBe("ghcr.io/duqueom/carvision-api:1.1.0");
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.1.0");
    expect(w.replies.at(-1)).toMatch(/^✅ Canary abort of \*\*1\.2\.0\*\* on `staging` done:/);
    const again = await run({ name: "abort", env: "staging" });
    expect(again.reason).toBe("already-done");
    expect(again.message).toContain("No canary is running on `staging`");
    expect(again.message).toContain("nothing to abort");
    expect(again.message).not.toContain("unknown");
  });

  it("uses the configured canary replicas, and names a missing canary Deployment", async () => {
    await run({ name: "canary", env: "staging", version: "1.2.0" }, config({ replicas: 3 }));
    expect(replicas("bankchurn-canary")).toBe(3);
    const missing = await run(
      { name: "canary", env: "staging", version: "1.2.0" },
      config({ suffix: "-cn" }),
    );
    expect(missing.reason).toBe("not-found");
    expect(missing.message).toContain("no canary Deployment `bankchurn-cn`");
  });

  it("a promotion GitHub refuses to record (422, as when required status checks fail) is said, and the next /promote records it once without touching the cluster", async () => {
    await run({ name: "canary", env: "staging", version: "1.2.0", replicas: 1 });
    // https://docs.github.com/en/rest/deployments/deployments#create-a-deployment answers 409/422.
    w.records.refuse = "Conflict: Commit status checks failed for v1.2.0.";
    const promoted = await run({ name: "promote", env: "staging" });
    expect(promoted.reason).toBe("in-progress");
    expect(w.replies.at(-1)).toContain("✅ Promotion of **1.2.0** on `staging` done");
    expect(w.replies.at(-1)).toContain(
      "⚠️ GitHub refused the promotion's Deployment record (`Conflict: Commit status checks failed for v1.2.0.`)",
    );
    expect(w.records.all).toHaveLength(0);
    expect(w.locks.locks.size).toBe(0);

    w.records.refuse = undefined;
    const image = w.imageOf("bankchurn");
    const again = await run({ name: "promote", env: "staging" });
    expect(again.reason).toBe("done");
    expect(again.message).toBe(
      "✅ The promotion of **1.2.0** on `staging` was already made in the cluster; I recorded it as a GitHub Deployment, which GitHub refused earlier.",
    );
    expect(w.imageOf("bankchurn")).toBe(image);
    expect(w.records.all).toHaveLength(1);
    expect(w.locks.locks.size).toBe(0); // recorded under the lock, given back
    expect((await run({ name: "promote", env: "staging" })).reason).toBe("not-found");
    expect(w.records.all).toHaveLength(1);
  });
});
