import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { JobTracker } from "../../../src/adapters/jobs/job-tracker.js";
import type { Jobs } from "../../../src/ports/jobs.js";
import type { DeployDeps } from "../../../src/use-cases/deploy/deploy-deps.js";
import { resumeDeploys } from "../../../src/use-cases/deploy/resume-deploys.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { startRollback } from "../../../src/use-cases/deploy/start-rollback.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const config = configWith({ staging: stagingEnv() });
/** Jobs that are only collected (`into`), never run: an app that answers and dies, or a test holding them. */
const holding = (into: (() => Promise<void>)[] = []): Jobs => {
  const stopper = new AbortController();
  return {
    run: (_name, job) => void into.push(job),
    idle: async () => undefined,
    stopping: stopper.signal,
    stop: () => stopper.abort(),
    settle: async () => [],
  };
};

/** A deploy answered, its rollout never run: by `instance` (this one unless told), claimed on its record. */
const deployThenCrash = async (instance?: string) => {
  const result = await startDeploy(
    { ...w.deps, jobs: holding(), ...(instance ? { instance } : {}) },
    {
      ...w.call(config),
      command: {
        env: "staging",
        version: "1.2.0",
      },
    },
  );
  expect(result.reason).toBe("in-progress");
  const record = w.records.all.at(-1);
  if (!record) throw new Error("no record");
  return record;
};

/** A real pause, short: the deferred look at a claim runs a few times while a test watches. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)));
const resume = (deps: Partial<DeployDeps> = {}) =>
  resumeDeploys(() => ({ ...w.deps, sleep: pause, ...deps }), config, "https://github.example/o/r");

describe("resuming deploys after a restart", () => {
  it("drives a queued deploy to its end, keeping the lock until then", async () => {
    const record = await deployThenCrash();
    expect(w.locks.locks.get("staging")?.kind).toBe("deploy");
    expect(await resume()).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.locks.locks.size).toBe(0);
    expect(w.locks.claims.size).toBe(0);
    expect(await resume()).toEqual([]);
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
    await resume();
    await w.jobs.idle();
    expect(w.records.states(record.id).at(-1)).toBe("failure");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
  });

  it("takes back its own claim at once, by moving the claim on (never deleting and racing to recreate it)", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    const left = w.locks.setClaim(key, "test");
    expect(await resume()).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    // Taken over from the version it found, not renewed before verifying (the claim lasts through
    // it, and until it expires nobody else may take it), then removed.
    expect(w.locks.claimHistory).toEqual([`${key} test ${left}`, `${key} test v2`]);
    expect(w.locks.claims.size).toBe(0);
  });

  it("takes over an expired claim of an instance that is gone", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    w.locks.setClaim(key, "gone-pod", "2025-12-31T23:00:00.000Z");
    expect(await resume()).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.locks.claimHistory[1]).toBe(`${key} test v2`);
    expect(w.locks.claims.size).toBe(0);
  });

  it("dates a claim written without an expiry from its commit", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    w.locks.claims.set(key, { holder: "old-version", claimedAt: "2025-12-31T00:00:00Z", version: "legacy" });
    expect(await resume()).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id).at(-1)).toBe("success");
  });

  it("leaves a live claim of another instance alone, and takes the rollout once that claim is released", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    w.locks.setClaim(key, "other-pod");
    const reads: string[] = [];
    const claimVersion = w.locks.claimVersion.bind(w.locks);
    w.locks.claimVersion = async (k) => {
      reads.push(k);
      return claimVersion(k);
    };
    expect(await resume({ claimRecheckMs: 1 })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(w.records.states(record.id)).toEqual([]);
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set([key])); // only that claim is looked at again
    await w.locks.unclaim(key); // the other instance handed it over
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.locks.claims.size).toBe(0);
  });

  it("takes over a live claim of another instance once it expires", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    // The world's clock moves a second at each look; the claim ends 20 s from now.
    w.locks.setClaim(key, "other-pod", new Date(w.deps.clock.now().getTime() + 20_000).toISOString());
    expect(await resume()).toEqual([]);
    expect(w.records.states(record.id)).toEqual([]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.locks.claimHistory.at(-1)).toMatch(new RegExp(`^${key} test `));
  });

  it("leaves the rollout alone when the other instance finished it meanwhile", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    w.locks.setClaim(key, "other-pod");
    expect(await resume({ claimRecheckMs: 1 })).toEqual([]);
    // The holder concludes it and removes its claim.
    await w.records.setStatus(record.id, "success");
    await w.locks.unclaim(key);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["success"]);
    expect(w.locks.claimHistory).toHaveLength(1);
  });

  it("stops looking at another instance's claim as soon as the app stops", async () => {
    const record = await deployThenCrash();
    w.locks.setClaim(`deployment-${record.id}`, "other-pod");
    const jobs = new JobTracker();
    const waited = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()));
      });
    expect(
      await resume({ jobs, sleep: waited, clock: { now: () => new Date("2026-01-01T00:00:00Z") } }),
    ).toEqual([]);
    expect(jobs.size).toBe(1);
    jobs.stop();
    expect(await jobs.settle(1000)).toEqual([]);
    expect(w.records.states(record.id)).toEqual([]);
    expect(w.locks.claims.get(`deployment-${record.id}`)?.holder).toBe("other-pod");
  });

  it("does not drive again a deploy another instance finished between the read and the claim", async () => {
    // Created by an instance whose record claim has expired (the fakes' clock moves a second a call).
    const record = await deployThenCrash("gone-pod");
    const expires = record.payload.watch?.expires ?? "";
    expect(expires).not.toBe("");
    const after = { now: () => new Date(Date.parse(expires) + 1000) };
    // Both instances read the record as in progress before either job starts …
    const held = { a: [] as (() => Promise<void>)[], b: [] as (() => Promise<void>)[] };
    const a = await resume({ jobs: holding(held.a), instance: "a", clock: after });
    const b = await resume({ jobs: holding(held.b), instance: "b", clock: after });
    expect(a).toEqual([record.id]);
    expect(b).toEqual([record.id]);
    // … the first drives it to its end, and only then does the second claim the freed watch.
    for (const job of held.a) await job();
    for (const job of held.b) await job();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.locks.claims.size).toBe(0);
  });

  it("of two instances taking one expired claim over at once, one drives", async () => {
    const record = await deployThenCrash();
    w.locks.setClaim(`deployment-${record.id}`, "gone-pod", "2025-12-31T23:00:00.000Z");
    const held = { a: [] as (() => Promise<void>)[], b: [] as (() => Promise<void>)[] };
    expect(await resume({ jobs: holding(held.a), instance: "a" })).toEqual([record.id]);
    expect(await resume({ jobs: holding(held.b), instance: "b" })).toEqual([record.id]);
    await Promise.all([...held.a, ...held.b].map((job) => job()));
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.replies.filter((r) => r.includes("succeeded"))).toHaveLength(1);
  });
});

describe("a claim that moves between the resumer's look and its take", () => {
  it("is looked at again: released meanwhile, it is claimed afresh and the rollout driven", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    w.locks.setClaim(key, "gone-pod", "2025-12-31T23:00:00.000Z");
    const held: (() => Promise<void>)[] = [];
    expect(await resume({ jobs: holding(held) })).toEqual([record.id]);
    await w.locks.unclaim(key); // released before the take-over runs
    while (held.length > 0) await held.shift()?.();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.locks.claims.size).toBe(0);
  });

  it("is left to its holder when another instance took it first", async () => {
    const record = await deployThenCrash();
    const key = `deployment-${record.id}`;
    const found = w.locks.setClaim(key, "gone-pod", "2025-12-31T23:00:00.000Z");
    const held: (() => Promise<void>)[] = [];
    expect(await resume({ jobs: holding(held) })).toEqual([record.id]);
    await w.locks.takeOver(found, { key, holder: "pod-c", expires: "2026-01-01T02:00:00.000Z" });
    await held.shift()?.(); // the take-over, refused
    // What is left is a deferred look at pod-c's claim; nothing was driven.
    expect(held).toHaveLength(1);
    expect(w.records.states(record.id)).toEqual([]);
    expect(w.locks.claims.get(key)?.holder).toBe("pod-c");
  });
});

describe("a driver whose claim passed to another instance", () => {
  it("stops without concluding: no status, no reply, the lock and the claim left to the new holder", async () => {
    // The rollout outlasts the record's claim, so the driver renews it before verifying, and
    // finds that another instance took it over (created the claim ref) meanwhile.
    let calls = 0;
    const late = { now: () => new Date(Date.parse("2026-01-01T00:00:00Z") + (++calls > 3 ? 3_600_000 : 0)) };
    const record0 = { key: "" };
    const claim = w.locks.claim.bind(w.locks);
    w.locks.claim = async (c) => {
      record0.key = c.key;
      await claim({ ...c, holder: "pod-b" });
      return undefined;
    };
    const started = await startDeploy(
      { ...w.deps, clock: late },
      {
        ...w.call(config),
        command: { env: "staging", version: "1.2.0" },
      },
    );
    expect(started.reason).toBe("in-progress");
    await w.jobs.idle();
    const record = w.records.all.at(-1);
    expect(record && w.records.states(record.id)).toEqual(["in_progress"]);
    expect(w.replies).toEqual([]);
    expect(w.locks.locks.get("staging")?.kind).toBe("deploy");
    expect(w.locks.claims.get(record0.key)?.holder).toBe("pod-b");
  });
});

describe("resuming rollbacks after a restart", () => {
  const rollbackThenCrash = async (env = "staging") => {
    const cfg = configWith({ [env]: stagingEnv() });
    for (const version of ["1.2.0", "1.3.0"]) {
      expect((await startDeploy(w.deps, { ...w.call(cfg), command: { env, version } })).reason).toBe(
        "in-progress",
      );
      await w.jobs.idle();
    }
    const result = await startRollback({ ...w.deps, jobs: holding() }, { ...w.call(cfg), command: { env } });
    expect(result.reason).toBe("in-progress");
    const record = w.records.all.at(-1);
    if (!record) throw new Error("no record");
    expect(record.payload.action).toBe("rollback");
    return { cfg, record };
  };

  it("concludes a /rollback a crashed run left queued: one final status, one reply, lock released", async () => {
    const { cfg, record } = await rollbackThenCrash();
    // The lock is a bare ref; the record that took it says who and why.
    expect(w.locks.locks.get("staging")?.at).toBe(record.payload.lock?.at);
    expect(record.payload.lock?.reason).toBe("rolling back to the last good revision");
    const repliesBefore = w.replies.length;
    expect(await resumeDeploys(() => w.deps, cfg, "https://github.example/o/r")).toEqual([record.id]);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress", "success"]);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(w.replies.slice(repliesBefore)).toEqual([
      expect.stringContaining("`staging` rolled back to **1.2.0** (concluded after a restart"),
    ]);
    expect(w.locks.locks.size).toBe(0);
    expect(w.locks.claims.size).toBe(0);
    expect(w.postMortems).toHaveLength(0); // manual, outside production
    expect(await resumeDeploys(() => w.deps, cfg, "u")).toEqual([]);
  });

  it("opens the post-mortem for a production rollback it concludes", async () => {
    const { cfg, record } = await rollbackThenCrash("production");
    await resumeDeploys(() => w.deps, cfg, "u");
    await w.jobs.idle();
    expect(w.records.states(record.id).at(-1)).toBe("success");
    expect(w.postMortems.map((p) => p.title)).toEqual([expect.stringContaining("production rolled back")]);
  });

  it("leaves a rollback whose run is alive (its claim is live) to that run", async () => {
    const { cfg, record } = await rollbackThenCrash();
    w.locks.setClaim(`deployment-${record.id}`, "other-pod");
    expect(await resumeDeploys(() => w.deps, cfg, "u")).toEqual([]);
    expect(w.records.states(record.id)).toEqual([]);
  });
});
