import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { configSchema } from "../../../src/config/schema.js";
import { planAutoDeploys, renderImageTag } from "../../../src/domain/deploy/auto-deploy-plan.js";
import { autoDeploy } from "../../../src/use-cases/deploy/auto-deploy.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
  w.pulls.pulls.set("1.2.0", { number: 12, url: "https://github.example/pull/12", issue: 7 });
});
afterEach(async () => {
  await w.close();
});

const IMAGES = ".github/workflows/publish-images.yml";
const release = { kind: "release", version: "1.2.0", workflowPath: IMAGES, runUrl: "https://run/1" } as const;
const develop = {
  kind: "develop",
  sha: "1a2b3c4d5e6f7081920a1b2c3d4e5f60718293a4",
  branch: "develop",
  workflowPath: IMAGES,
  runUrl: "https://run/2",
} as const;
const config = (autoDeploy: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  configWith({ staging: stagingEnv({ autoDeploy, ...extra }), production: stagingEnv() });
const run = async (cfg: ReturnType<typeof config>, trigger: Parameters<typeof autoDeploy>[2]) => {
  const results = await autoDeploy(() => w.deps, cfg, trigger, "https://github.example/o/r");
  await w.jobs.idle();
  return results;
};

describe("auto-deploy: what to deploy where", () => {
  it("renders image tag templates", () => {
    expect(renderImageTag("sha-{shortSha}", develop)).toBe("sha-1a2b3c4");
    expect(renderImageTag("{branch}-{sha}", develop)).toBe(`develop-${develop.sha}`);
  });

  it("picks the environments that ask for it, for the configured workflow and branch only", () => {
    const cfg = config({ releases: true, develop: {} });
    expect(planAutoDeploys(cfg, release)).toEqual([
      {
        env: "staging",
        version: "1.2.0",
        ref: undefined,
        reason: "the images of release 1.2.0 were published",
      },
    ]);
    expect(planAutoDeploys(cfg, develop)).toEqual([
      {
        env: "staging",
        version: "sha-1a2b3c4",
        ref: develop.sha,
        reason: "develop moved to 1a2b3c4 and its images were built",
      },
    ]);
    expect(planAutoDeploys(cfg, { ...develop, branch: "feature/x" })).toEqual([]);
    expect(planAutoDeploys(cfg, { ...release, workflowPath: ".github/workflows/tests.yml" })).toEqual([]);
    expect(planAutoDeploys(config({ develop: { workflow: "build.yml" } }), develop)).toEqual([]);
  });

  it("refuses develop auto-deploys where only releases or approved versions may go", () => {
    const parsed = configSchema.safeParse({
      environments: {
        staging: { ...stagingEnv(), autoDeploy: { develop: {} }, gates: { approvals: 1 } },
      },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["environments", "staging", "autoDeploy", "develop"]);
  });
});

describe("auto-deploy: deploying as the app", () => {
  it("deploys a release whose images were published, recorded as automatic, reported on its tracking issue", async () => {
    const [result] = await run(config({ releases: true }), release);
    expect(result?.outcome.reason).toBe("in-progress");
    expect(w.records.all).toHaveLength(1);
    expect(w.records.all[0]).toMatchObject({ environment: "staging", ref: "v1.2.0" });
    expect(w.records.all[0]?.payload).toMatchObject({
      actor: "release-pilot[bot]",
      issue: 7,
      auto: {
        trigger: "release",
        reason: "the images of release 1.2.0 were published",
        run: "https://run/1",
      },
    });
    expect(w.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
  });

  it("deploys develop's head with the templated tag and the commit as the ref", async () => {
    const [result] = await run(config({ develop: {} }), develop);
    expect(result?.outcome.reason).toBe("in-progress");
    expect(w.records.all[0]).toMatchObject({
      ref: develop.sha,
      payload: { version: "sha-1a2b3c4", issue: 0 },
    });
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:sha-1a2b3c4");
  });

  it("does not deploy twice for a redelivered run, nor over a lock, and says nothing in comments", async () => {
    await run(config({ releases: true }), release);
    const replies = w.replies.length;
    const again = await run(config({ releases: true }), release);
    expect(again.map((r) => r.outcome.reason)).toEqual(["already-done"]);
    expect(w.records.all).toHaveLength(1);

    await w.locks.acquire({
      env: "staging",
      holder: "oncall",
      reason: "incident",
      since: "now",
      kind: "manual",
    });
    const locked = await run(config({ develop: {} }), develop);
    expect(locked.map((r) => r.outcome.reason)).toEqual(["refused-locked"]);
    expect(w.records.all).toHaveLength(1);
    expect(w.replies).toHaveLength(replies);
  });

  it("leaves a deploy in flight alone", async () => {
    await w.records.create({
      environment: "staging",
      ref: "main",
      task: "deploy",
      description: "",
      payload: {
        app: "release-pilot",
        action: "deploy",
        version: "1.1.5",
        cluster: "main",
        namespace: "ml",
        services: [],
        issue: 3,
        actor: "a",
      },
      production: false,
      requireGreen: false,
    });
    await w.records.setStatus(100, "in_progress");
    const [result] = await run(config({ releases: true }), release);
    expect(result?.outcome).toMatchObject({
      reason: "refused-locked",
      message: "deployment 100 (1.1.5) is in flight",
    });
    expect(w.records.all).toHaveLength(1);
  });
});
