import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { resumeDeploys } from "../../../src/use-cases/deploy/resume-deploys.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import type { Jobs } from "../../../src/ports/jobs.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const config = configWith({ staging: stagingEnv() });
/** An app that answers the webhook and dies before its background job runs. */
const crashing: Jobs = { run: () => undefined, idle: async () => undefined };

const deployThenCrash = async () => {
  const result = await startDeploy({ ...w.deps, jobs: crashing }, w.call(config), {
    env: "staging",
    version: "1.2.0",
  });
  expect(result.reason).toBe("in-progress");
  const record = w.records.all.at(-1);
  if (!record) throw new Error("no record");
  return record;
};

describe("resuming deploys after a restart", () => {
  it("drives a queued deploy to its end, keeping the lock until then", async () => {
    const record = await deployThenCrash();
    expect(w.locks.locks.get("staging")?.kind).toBe("deploy");
    const resumed = await resumeDeploys(() => w.deps, config, "https://github.example/o/r");
    expect(resumed).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["queued", "in_progress", "success"]);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.locks.locks.size).toBe(0);
    expect(await resumeDeploys(() => w.deps, config, "https://github.example/o/r")).toEqual([]);
  });

  it("watches a rollout patched before the crash instead of calling it done unseen", async () => {
    w.fake.failImages(/:1\.2\.0$/);
    const record = await deployThenCrash();
    const cluster = w.deps.clusters.get("main");
    for (const s of record.payload.services)
      await cluster?.patchDeployment(
        "ml",
        s.deployment,
        { spec: { template: { spec: { containers: [{ name: s.container, image: s.image }] } } } },
        "strategic",
      );
    await resumeDeploys(() => w.deps, config, "https://github.example/o/r");
    await w.jobs.idle();
    expect(w.records.states(record.id).at(-1)).toBe("failure");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
  });

  it("leaves a rollout claimed by another instance alone, and takes back its own claim", async () => {
    const record = await deployThenCrash();
    w.locks.claims.set(`deployment-${record.id}`, "other-instance");
    expect(await resumeDeploys(() => w.deps, config, "u")).toEqual([]);
    w.locks.claims.set(`deployment-${record.id}`, "test");
    expect(await resumeDeploys(() => w.deps, config, "u")).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id).at(-1)).toBe("success");
  });

  it("does not drive again a deploy another instance finished between the read and the claim", async () => {
    const record = await deployThenCrash();
    // Both instances read the record as in progress before either job starts …
    const held = { a: [] as (() => Promise<void>)[], b: [] as (() => Promise<void>)[] };
    const holding = (into: (() => Promise<void>)[]): Jobs => ({
      run: (_name, job) => void into.push(job),
      idle: async () => undefined,
    });
    const a = await resumeDeploys(() => ({ ...w.deps, jobs: holding(held.a), instance: "a" }), config, "u");
    const b = await resumeDeploys(() => ({ ...w.deps, jobs: holding(held.b), instance: "b" }), config, "u");
    expect(a).toEqual([record.id]);
    expect(b).toEqual([record.id]);
    // … the first drives it to its end, and only then does the second claim the freed watch.
    for (const job of held.a) await job();
    for (const job of held.b) await job();
    expect(w.records.states(record.id)).toEqual(["queued", "in_progress", "success"]);
    expect(w.locks.claims.size).toBe(0);
  });
});
