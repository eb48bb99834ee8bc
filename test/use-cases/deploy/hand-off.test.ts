import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { handOffRollouts } from "../../../src/use-cases/deploy/hand-off.js";
import { HeldWatches } from "../../../src/use-cases/deploy/held-watches.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
let watches: HeldWatches;
const log = { info: () => undefined, error: () => undefined };
const config = configWith({ staging: stagingEnv({ timeoutSeconds: 600 }) });

beforeEach(async () => {
  w = await startWorld();
  watches = new HeldWatches();
  w.deps.watches = watches;
});
afterEach(async () => {
  w.fake.startTicking(5);
  await w.close();
});

/** A deploy whose rollout is under way (the cluster held still) and whose watch is claimed. */
const deployMidRollout = async () => {
  w.fake.stopTicking();
  const started = await startDeploy(w.deps, {
    ...w.call(config),
    command: { env: "staging", version: "1.2.0" },
  });
  expect(started.reason).toBe("in-progress");
  const record = w.records.all.at(-1);
  if (!record) throw new Error("no record");
  const key = `deployment-${record.id}`;
  for (let i = 0; i < 200 && !watches.keys.includes(key); i++) await new Promise((r) => setTimeout(r, 5));
  expect(watches.keys).toEqual([key]);
  return { record, key };
};

describe("handing rollouts over when the app stops", () => {
  it("lets jobs that finish within the grace period finish, and releases nothing", async () => {
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    const handed = await handOffRollouts(w.jobs, watches, 10_000, log);
    expect(handed).toEqual({ unfinished: [], released: [] });
    expect(w.records.states(100).at(-1)).toBe("success");
    expect(w.locks.locks.size).toBe(0);
  });

  it("releases the claims of the rollouts still running, keeps their lock and record, and fences their drivers", async () => {
    const { record, key } = await deployMidRollout();
    const handed = await handOffRollouts(w.jobs, watches, 50, log);
    expect(handed).toEqual({ unfinished: [`deploy staging #${record.id}`], released: [key] });
    // The claim its record carried is ended by a claim ref that has expired already: the next
    // instance takes the rollout over at once.
    const ended = w.locks.claims.get(key);
    expect(ended?.holder).toBe("test");
    expect(Date.parse(ended?.expires ?? "")).toBeLessThanOrEqual(w.deps.clock.now().getTime());
    expect(w.locks.locks.get("staging")?.kind).toBe("deploy");
    expect(w.jobs.stopping.aborted).toBe(true);
    // The driver left behind (until the process exits) writes nothing more once its rollout ends.
    w.fake.startTicking(5);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress"]);
    expect(w.replies).toEqual([]);
    expect(w.locks.locks.get("staging")?.kind).toBe("deploy");
  });

  it("never frees a claim another instance took over meanwhile", async () => {
    const { record, key } = await deployMidRollout();
    // Its record carries the claim; pod-b replaces it by creating the claim ref.
    expect(w.locks.claims.get(key)).toBeUndefined();
    expect(await w.locks.claim({ key, holder: "pod-b", expires: "2026-01-01T02:00:00.000Z" })).toBeDefined();
    await handOffRollouts(w.jobs, watches, 50, log);
    expect(w.locks.claims.get(key)?.holder).toBe("pod-b");
    w.fake.startTicking(5);
    await w.jobs.idle();
    expect(w.records.states(record.id)).toEqual(["in_progress"]);
    expect(w.locks.claims.get(key)?.holder).toBe("pod-b");
  });
});
