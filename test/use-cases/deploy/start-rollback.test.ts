import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { startRollback } from "../../../src/use-cases/deploy/start-rollback.js";
import { configWith, SERVICES, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
  w.tags.versions.push("1.3.0");
});
afterEach(async () => {
  await w.close();
});

const config = (env = "staging") => configWith({ [env]: stagingEnv() });
const deploy = async (version: string, env = "staging") => {
  expect((await startDeploy(w.deps, { ...w.call(config(env)), command: { env, version } })).reason).toBe(
    "in-progress",
  );
  await w.jobs.idle();
};
const rollback = async (command: { version?: string; revision?: number }, env = "staging") => {
  const result = await startRollback(w.deps, { ...w.call(config(env)), command: { env, ...command } });
  await w.jobs.idle();
  return result;
};

describe("/rollback", () => {
  it("rolls back to the last good version and records a Deployment of it", async () => {
    await deploy("1.2.0");
    await deploy("1.3.0");
    const result = await rollback({});
    expect(result.reason).toBe("in-progress");
    expect(result.message).toContain("back to **1.2.0**");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    const record = w.records.all.at(-1);
    expect(record).toMatchObject({ task: "deploy:rollback", ref: "v1.2.0" });
    expect(record && w.records.states(record.id)).toEqual(["success"]);
    expect(w.replies.at(-1)).toContain("rolled back to **1.2.0**");
    // Watched under the claim its record carries (a restarting instance leaves it alone): no
    // claim ref written; the record's conclusion ends it.
    expect(record?.payload.watch).toMatchObject({ holder: "test" });
    expect(w.locks.claimHistory.filter((c) => c.startsWith(`deployment-${record?.id ?? 0} `))).toHaveLength(
      0,
    );
    expect(w.locks.claims.size).toBe(0);
    expect(w.postMortems).toHaveLength(0); // a manual rollback outside production
    expect(w.locks.locks.size).toBe(0);
  });

  it("patches every service as soon as the lock is held, before recording the Deployment", async () => {
    await deploy("1.2.0");
    await deploy("1.3.0");
    const seenAtRecord: string[] = [];
    const create = w.deps.records.create.bind(w.deps.records);
    const records = {
      ...w.deps.records,
      list: w.deps.records.list.bind(w.deps.records),
      get: w.deps.records.get.bind(w.deps.records),
      setStatus: w.deps.records.setStatus.bind(w.deps.records),
      create: (d: Parameters<typeof create>[0]) => {
        seenAtRecord.push(...SERVICES.map((s) => w.imageOf(s.deployment) ?? ""));
        return create(d);
      },
    };
    const result = await startRollback(
      { ...w.deps, records },
      { ...w.call(config()), command: { env: "staging" } },
    );
    await w.jobs.idle();
    expect(result.reason).toBe("in-progress");
    expect(seenAtRecord).toHaveLength(SERVICES.length);
    for (const image of seenAtRecord) expect(image).toMatch(/:1\.2\.0$/);
    expect(w.records.states(w.records.all.at(-1)?.id ?? 0)).toEqual(["success"]);
  });

  it("rolls back to a named version or revision, like kubectl rollout undo --to-revision", async () => {
    await deploy("1.2.0");
    await deploy("1.3.0");
    await rollback({ version: "1.1.0" });
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.1.0");
    await rollback({ revision: 2 });
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.2.0");
  });

  it("refuses a revision that does not exist, or a version no revision runs, and changes nothing", async () => {
    await deploy("1.2.0");
    const missing = await rollback({ revision: 9 });
    expect(missing.reason).toBe("not-found");
    expect(missing.message).toContain("unable to find specified revision 9 in history");
    const none = await rollback({ version: "0.9.0" });
    expect(none.reason).toBe("not-found");
    expect(none.message).toContain(
      'no revision of deployment "bankchurn" runs ghcr.io/duqueom/bankchurn-api:0.9.0',
    );
    expect(w.locks.locks.size).toBe(0);
  });

  it("refuses a paused Deployment as kubectl does", async () => {
    await deploy("1.2.0");
    await w.deps.clusters
      .get("main")
      ?.patchDeployment("ml", "bankchurn", { spec: { paused: true } }, "merge");
    await w.deps.clusters
      .get("main")
      ?.patchDeployment("ml", "carvision", { spec: { paused: true } }, "merge");
    const result = await rollback({ revision: 1 });
    expect(result.reason).toBe("conflict");
    expect(result.message).toContain("you cannot rollback a paused deployment");
  });

  it("opens a post-mortem after any production rollback", async () => {
    await deploy("1.2.0", "production");
    await rollback({ version: "1.1.0" }, "production");
    expect(w.postMortems.map((p) => p.title)).toEqual([
      "Post-mortem: production rolled back from 1.2.0 to 1.1.0",
    ]);
    expect(w.postMortems[0]?.body).toContain("manual rollback by @maintainer");
  });
});
