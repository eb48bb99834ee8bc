import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { configSchema } from "../../../src/config/schema.js";
import { runCanary } from "../../../src/use-cases/deploy/run-canary.js";
import { scaleService } from "../../../src/use-cases/deploy/scale-service.js";
import { showStatus } from "../../../src/use-cases/deploy/show-status.js";
import { startDeploy } from "../../../src/use-cases/deploy/start-deploy.js";
import { startRollback } from "../../../src/use-cases/deploy/start-rollback.js";
import { configWith, startWorld, type World } from "./fakes.js";

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const web = (extra: Record<string, unknown> = {}) =>
  configWith({
    web: { driver: { workflow: "deploy.yml" }, url: "https://web.example.com", timeoutSeconds: 30, ...extra },
  });
const deploy = async (version: string, config = web()) => {
  const result = await startDeploy(w.deps, { ...w.call(config), command: { env: "web", version } });
  await w.jobs.idle();
  return result;
};

describe("the workflow driver: config", () => {
  it("needs cluster and services without a driver, and refuses them with one, naming the key", () => {
    const issues = (env: Record<string, unknown>) => {
      const parsed = configSchema.safeParse({ environments: { web: env } });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ driver: { workflow: "deploy.yml" } })).toEqual([]);
    expect(issues({ namespace: "ml" })).toEqual([
      "environments.web.cluster: required: name the cluster connection to deploy to, or set `driver.workflow` to deploy with a GitHub Actions workflow",
      "environments.web.services: required: list the services deployed together, or set `driver.workflow` to deploy with a GitHub Actions workflow",
    ]);
    expect(issues({ driver: { workflow: "deploy.yml" }, cluster: "main" })).toEqual([
      "environments.web.cluster: not used with `driver.workflow`: the workflow deploys (remove `cluster`, or remove `driver` to deploy through the cluster)",
    ]);
    expect(issues({ driver: { workflow: "deploy" } })[0]).toContain(
      "a workflow file name such as deploy.yml",
    );
  });
});

describe("the workflow driver: /deploy and /rollback", () => {
  it("records the Deployment, dispatches the workflow with environment, version and deployment id, and follows the run", async () => {
    const result = await deploy("1.2.0");
    expect(result.reason).toBe("in-progress");
    expect(result.message).toContain("with the workflow `deploy.yml` on `main`");
    const [record] = w.records.all;
    expect(record).toMatchObject({ environment: "web", ref: "v1.2.0", task: "deploy" });
    expect(record?.payload).toMatchObject({
      action: "deploy",
      version: "1.2.0",
      services: [],
      driver: { kind: "workflow", workflow: "deploy.yml", ref: "main" },
    });
    expect(w.smoke.runs).toEqual([
      {
        workflow: "deploy.yml",
        ref: "main",
        inputs: { environment: "web", version: "1.2.0", deployment_id: String(record?.id) },
      },
    ]);
    expect(record?.statuses).toEqual([
      { state: "queued", logUrl: "https://github.example/issues/7" },
      { state: "in_progress", logUrl: "https://github.example/runs/1" },
      {
        state: "success",
        description: "1.2.0 is live",
        environmentUrl: "https://web.example.com",
        logUrl: "https://github.example/runs/1",
      },
    ]);
    expect(w.replies).toEqual([
      "✅ Deploy of **1.2.0** to `web` succeeded ([workflow run](https://github.example/runs/1)).",
    ]);
    expect(w.locks.history).toEqual(["acquire web deploy", "release web"]);
    expect(w.fake.requests).toEqual([]);
  });

  it("marks the Deployment failed with the run's conclusion, and says how to roll back", async () => {
    w.smoke.result = { kind: "failed", url: "https://github.example/runs/2", conclusion: "failure" };
    await deploy("1.2.0", web({ driver: { workflow: "deploy.yml", ref: "deploy-scripts" } }));
    expect(w.smoke.runs[0]?.ref).toBe("deploy-scripts");
    expect(w.records.states(w.records.all[0]?.id ?? 0)).toEqual(["queued", "in_progress", "failure"]);
    expect(w.replies.at(-1)).toContain(
      "❌ Deploy of **1.2.0** to `web` failed: the workflow run concluded **failure**",
    );
    expect(w.replies.at(-1)).toContain("`/rollback web` dispatches `deploy.yml`");
    expect(w.locks.locks.size).toBe(0);
  });

  it("says what to check when the workflow cannot be dispatched", async () => {
    w.smoke.result = {
      kind: "not-started",
      message: "workflow `deploy.yml` could not be dispatched on `main`",
    };
    await deploy("1.2.0");
    expect(w.records.states(w.records.all[0]?.id ?? 0)).toEqual(["queued", "error"]);
    expect(w.replies.at(-1)).toContain(
      "declare `workflow_dispatch` with the inputs environment, version and deployment_id",
    );
  });

  it("applies the gates and the lock as the cluster driver does", async () => {
    const gated = await deploy("1.3.0", web({ gates: { releasedOnly: true } }));
    expect(gated.reason).toBe("refused-gate");
    await w.locks.acquire({ env: "web", holder: "oncall", reason: "incident", since: "now", kind: "manual" });
    expect((await deploy("1.2.0")).reason).toBe("refused-locked");
    expect(w.records.all).toHaveLength(0);
    expect(w.smoke.runs).toHaveLength(0);
  });

  it("rolls back by dispatching the same workflow with the version before the current one", async () => {
    await deploy("1.1.0");
    await deploy("1.2.0");
    w.smoke.result = { kind: "failed", url: "https://github.example/runs/3", conclusion: "failure" };
    await deploy("1.3.0");
    w.smoke.result = { kind: "passed", url: "https://github.example/runs/4" };
    const result = await startRollback(w.deps, { ...w.call(web()), command: { env: "web" } });
    await w.jobs.idle();
    expect(result.reason).toBe("in-progress");
    expect(result.message).toContain("Rolling `web` back to **1.2.0** with the workflow `deploy.yml`");
    expect(w.smoke.runs.at(-1)?.inputs).toMatchObject({ environment: "web", version: "1.2.0" });
    const rollback = w.records.all.at(-1);
    expect(rollback).toMatchObject({
      task: "deploy:rollback",
      ref: "v1.2.0",
      payload: { action: "rollback" },
    });
    expect(w.records.states(rollback?.id ?? 0)).toEqual(["queued", "in_progress", "success"]);
    expect(w.replies.at(-1)).toContain("✅ Rollback of `web` to **1.2.0** succeeded");

    // Now 1.2.0 is current: the next rollback goes to 1.1.0; a named version is taken as is.
    await startRollback(w.deps, { ...w.call(web()), command: { env: "web" } });
    await w.jobs.idle();
    expect(w.smoke.runs.at(-1)?.inputs.version).toBe("1.1.0");
    await startRollback(w.deps, {
      ...w.call(web({ gates: { approvals: 3 } })),
      command: { env: "web", version: "1.2.0" },
    });
    await w.jobs.idle();
    expect(w.smoke.runs.at(-1)?.inputs.version).toBe("1.2.0");
  });

  it("has nothing to roll back to without an earlier success, and knows no revisions", async () => {
    expect((await startRollback(w.deps, { ...w.call(web()), command: { env: "web" } })).reason).toBe(
      "not-found",
    );
    const revision = await startRollback(w.deps, { ...w.call(web()), command: { env: "web", revision: 3 } });
    expect(revision.reason).toBe("bad-command");
    expect(w.smoke.runs).toHaveLength(0);
  });
});

describe("the workflow driver: other commands", () => {
  it("refuses /canary, /promote, /abort and /scale clearly", async () => {
    const config = web();
    const replies = [
      await runCanary(w.deps, {
        ...w.call(config),
        command: { name: "canary", env: "web", version: "1.2.0" },
      }),
      await runCanary(w.deps, { ...w.call(config), command: { name: "promote", env: "web" } }),
      await runCanary(w.deps, { ...w.call(config), command: { name: "abort", env: "web" } }),
      await scaleService(w.deps, { ...w.call(config), command: { env: "web", service: "api", replicas: 3 } }),
    ];
    expect(replies.map((r) => r.reason)).toEqual([
      "not-enabled",
      "not-enabled",
      "not-enabled",
      "not-enabled",
    ]);
    expect(replies[1]?.message).toBe(
      "`web` is deployed by the workflow `deploy.yml`, whose driver does not support `/promote`: it takes `/deploy`, `/rollback`, `/lock`, `/unlock` and `/status`.",
    );
    expect(replies[3]?.message).toContain("does not support `/scale`");
  });

  it("shows the environment's Deployments in /status without reading a cluster", async () => {
    await deploy("1.2.0");
    const status = await showStatus(w.deps, { ...w.call(web()), command: { env: "web" } });
    expect(status.message).toContain("### `web` (deployed by the workflow `deploy.yml`)");
    expect(status.message).toContain("Last successful deploy: **1.2.0**");
    expect(status.message).not.toContain("| Service |");
  });
});
