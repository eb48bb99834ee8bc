import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { lockEnvironment } from "../../../src/use-cases/deploy/lock-environment.js";
import { showStatus } from "../../../src/use-cases/deploy/show-status.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
  // Records dated by the same clock as the locks, to the second as GitHub dates them.
  w.records.stampWith = () => w.deps.clock.now();
});
afterEach(async () => {
  await w.close();
});
const config = configWith({ staging: stagingEnv() });

describe("locks cannot outlive their holder", () => {
  it("a lock release refused once is retried, and the environment is free after the deploy", async () => {
    w.locks.failReleases = 1;
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(w.locks.locks.has("staging")).toBe(false);
    expect(w.replies.join("\n")).not.toContain("could not be given back");
  });

  it("a lock release refused past the retries: the user is told, /status shows it stale, the next /deploy clears it and says so", async () => {
    w.locks.failReleases = 3;
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    const [succeeded, warning] = w.replies.slice(-2);
    expect(succeeded).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(warning).toMatch(/^⚠️ The lock on `staging` could not be given back \(Server Error\)/);
    expect(warning).toContain("`/unlock staging` clears it now");
    // A bare ref onto the deployed commit; the record that took it names the holder.
    const left = w.locks.locks.get("staging");
    expect(left).toMatchObject({ holder: "", kind: "deploy" });
    expect(w.records.all[0]?.payload.lock).toMatchObject({ holder: "maintainer", at: left?.at });

    const status = await showStatus(w.deps, { ...w.call(config, "reader"), command: { env: "staging" } });
    expect(status.message).toMatch(
      /🔒 Locked by @maintainer since `\S+` \(for less than a minute, taken by a deploy\): `deploying 1\.2\.0`/,
    );
    expect(status.message).toContain(
      "⚠️ This lock is stale: its deploy #100 concluded (success) but the lock was not given back.",
    );

    const next = await startDeploy(w.deps, {
      ...w.call(config, "dev"),
      command: { env: "staging", version: "1.1.0" },
    });
    expect(next.reason).toBe("in-progress");
    expect(next.message).toMatch(
      /^🧹 Cleared a stale lock on `staging` \(held by @maintainer since `\S+`: `deploying 1\.2\.0`\): its deploy #100 concluded \(success\) but the lock was not given back\.\n\n🚢 Deploying \*\*1\.1\.0\*\*/,
    );
    await w.jobs.idle();
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.1.0** to `staging` succeeded");
    expect(w.locks.locks.has("staging")).toBe(false);
  });

  it("a deploy that is running keeps its lock: the next command is refused", async () => {
    // A deploy of another instance in flight: its record in progress, its watch claimed.
    const created = await w.records.create({
      environment: "staging",
      ref: "v1.2.0",
      task: "deploy",
      description: "deploy",
      payload: {
        app: "release-pilot",
        action: "deploy",
        version: "1.2.0",
        cluster: "main",
        namespace: "ml",
        services: [],
        issue: 3,
        actor: "dev",
      },
      production: false,
      requireGreen: false,
    });
    if (created.kind !== "created") throw new Error("not created");
    await w.records.setStatus(created.id, "in_progress");
    w.locks.setClaim(`deployment-${created.id}`, "other-instance", "2099-01-01T00:00:00.000Z");
    w.locks.locks.set("staging", {
      env: "staging",
      holder: "dev",
      reason: "deploying 1.2.0",
      since: "2025-12-31T23:59:00.000Z",
      kind: "deploy",
    });
    const refused = await startDeploy(w.deps, {
      ...w.call(config),
      command: { env: "staging", version: "1.1.0" },
    });
    expect(refused.reason).toBe("refused-locked");
    expect(refused.message).toContain("a deploy is running");
    expect(w.locks.locks.get("staging")?.holder).toBe("dev");

    // Its driver gone (the claim expired): the lock is stale, and /lock takes the environment.
    w.locks.claims.set(`deployment-${created.id}`, {
      holder: "other-instance",
      expires: "2025-12-31T23:59:30.000Z",
      claimedAt: "2025-12-31T23:59:00.000Z",
      version: "v9",
    });
    const locked = await lockEnvironment(w.deps, {
      ...w.call(config, "oncall"),
      command: {
        env: "staging",
        reason: "incident",
      },
    });
    expect(locked.reason).toBe("done");
    expect(locked.message).toMatch(
      /^🧹 Cleared a stale lock on `staging` \(held by @dev since `2025-12-31T23:59:00\.000Z`: `deploying 1\.2\.0`\): the watch claim on its deploy #100 expired/,
    );
    expect(locked.message).toContain("🔒 `staging` is locked by @oncall: `incident`");
    expect(w.locks.locks.get("staging")).toMatchObject({ holder: "oncall", kind: "manual" });
  });

  it("a manual lock is never cleared by a command, however old", async () => {
    w.locks.locks.set("staging", {
      env: "staging",
      holder: "oncall",
      reason: "freeze",
      since: "2025-01-01T00:00:00.000Z",
      kind: "manual",
    });
    const refused = await startDeploy(w.deps, {
      ...w.call(config),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(refused.reason).toBe("refused-locked");
    expect(w.locks.locks.get("staging")?.holder).toBe("oncall");
    const status = await showStatus(w.deps, { ...w.call(config), command: { env: "staging" } });
    expect(status.message).toContain("(for 365 days, manual lock): `freeze`");
    expect(status.message).not.toContain("stale");
  });
});

describe("a deploy's lock as a bare ref", () => {
  it("before its run has written its record: refused as being changed, shown with no known holder, never cleared as stale", async () => {
    // Another run took the lock onto the commit it deploys and has not created its record yet.
    expect(
      await w.locks.acquire(
        { env: "staging", holder: "dev", reason: "deploying 1.3.0", since: "", kind: "deploy" },
        { onto: "v1.3.0" },
      ),
    ).toMatchObject({ kind: "acquired" });
    const refused = await startDeploy(w.deps, {
      ...w.call(config),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(refused.reason).toBe("refused-locked");
    expect(refused.message).toContain("the lock is being changed right now");
    const status = await showStatus(w.deps, { ...w.call(config, "reader"), command: { env: "staging" } });
    expect(status.message).toContain("🔒 Locked by @unknown");
    expect(status.message).toContain("its Deployment record is not written yet");
    expect(status.message).not.toContain("stale");
    expect(w.locks.locks.get("staging")?.at).toBe("commit-of-v1.3.0");
    expect(w.records.all).toHaveLength(0);
  });

  it("names its holder in the record (with the commit it points at) and is given back when the run ends", async () => {
    await startDeploy(w.deps, { ...w.call(config), command: { env: "staging", version: "1.2.0" } });
    await w.jobs.idle();
    expect(w.locks.locks.has("staging")).toBe(false);
    // The record carries the lock's holder, reason and time, and the commit the ref pointed at.
    expect(w.records.all[0]?.payload.lock).toMatchObject({
      holder: "maintainer",
      reason: "deploying 1.2.0",
      at: "commit-of-v1.2.0",
    });
  });
});
