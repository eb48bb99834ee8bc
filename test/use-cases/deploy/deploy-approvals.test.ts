import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { runCanary } from "../../../src/use-cases/deploy/run-canary.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { startRollback } from "../../../src/use-cases/deploy/start-rollback.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
  w.pulls.pulls.set("1.2.0", { number: 12, url: "https://github.example/pull/12", issue: 7 });
  w.pulls.permissions.set("alice", "maintain");
  w.pulls.permissions.set("bob", "write");
  w.pulls.permissions.set("reader", "read");
});
afterEach(async () => {
  await w.close();
});

const config = (approvals: number) => configWith({ staging: stagingEnv({ gates: { approvals } }) });
const review = (user: string, state: string, minute: number) => ({
  user,
  state,
  submittedAt: `2026-01-01T10:0${minute}:00Z`,
});

describe("gates.approvals on /deploy, /canary and /promote", () => {
  it("refuses before any lock, record or cluster call, naming the PR, the count and who may approve", async () => {
    w.pulls.reviews.set(12, [review("alice", "APPROVED", 1), review("reader", "APPROVED", 2)]);
    const before = w.fake.requests.length;
    const result = await startDeploy(w.deps, {
      ...w.call(config(2)),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(result.reason).toBe("refused-gate");
    expect(result.message).toContain("[#12](https://github.example/pull/12) has **1** (@alice)");
    expect(result.message).toContain("needs **2** approving reviews");
    expect(result.message).toContain("Not counted (no write access): @reader");
    expect(w.records.all).toHaveLength(0);
    expect(w.locks.history).toEqual([]);
    expect(w.fake.requests.length).toBe(before);
    expect(w.pulls.calls).toEqual(["find 1.2.0", "reviews #12", "permission alice", "permission reader"]);
  });

  it("deploys once enough distinct people with write access approve; a change request takes an approval back", async () => {
    w.pulls.reviews.set(12, [
      review("alice", "APPROVED", 1),
      review("bob", "APPROVED", 2),
      review("bob", "CHANGES_REQUESTED", 3),
    ]);
    const refused = await startDeploy(w.deps, {
      ...w.call(config(2)),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(refused.reason).toBe("refused-gate");
    w.pulls.reviews.get(12)?.push(review("bob", "APPROVED", 4));
    const result = await startDeploy(w.deps, {
      ...w.call(config(2)),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(result.reason).toBe("in-progress");
    expect(w.records.all.map((r) => r.payload.version)).toEqual(["1.2.0"]);
    await w.jobs.idle();
  });

  it("refuses clearly when no PR shipped the version", async () => {
    const result = await startDeploy(w.deps, {
      ...w.call(config(1)),
      command: { env: "staging", version: "1.3.0" },
    });
    expect(result.reason).toBe("refused-gate");
    expect(result.message).toContain("found none: no merged `release/v1.3.0` → `main` PR");
    expect(w.records.all).toHaveLength(0);
  });

  it("costs no call when the gate is 0", async () => {
    expect(
      (await startDeploy(w.deps, { ...w.call(config(0)), command: { env: "staging", version: "1.2.0" } }))
        .reason,
    ).toBe("in-progress");
    expect(w.pulls.calls).toEqual([]);
  });

  it("gates a canary's version and a promotion's, and leaves /rollback open", async () => {
    w.addCanaryTwins();
    const canary = await runCanary(w.deps, {
      ...w.call(config(1)),
      command: {
        name: "canary",
        env: "staging",
        version: "1.2.0",
      },
    });
    expect(canary.reason).toBe("refused-gate");
    expect(w.imageOf("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    // The canary was started before the gate was raised: promoting it is gated all the same.
    expect(
      (
        await runCanary(w.deps, {
          ...w.call(config(0)),
          command: { name: "canary", env: "staging", version: "1.2.0" },
        })
      ).reason,
    ).toBe("in-progress");
    await w.jobs.idle();
    const promote = await runCanary(w.deps, {
      ...w.call(config(1)),
      command: { name: "promote", env: "staging" },
    });
    expect(promote.reason).toBe("refused-gate");
    expect(promote.message).toContain("shipped **1.2.0**");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");

    const rollback = await startRollback(w.deps, {
      ...w.call(config(5)),
      command: { env: "staging", version: "1.1.0" },
    });
    expect(rollback.reason).toBe("already-done"); // past every gate: the services already run 1.1.0
    await w.jobs.idle();
  });
});
