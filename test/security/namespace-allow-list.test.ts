import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { parseOperatorSettings } from "../../src/config/operator-settings-schema.js";
import { ClusterError } from "../../src/ports/cluster.js";
import { resumeDeploys } from "../../src/use-cases/deploy/resume-deploys.js";
import { allowListedClusters } from "../../src/use-cases/deploy/namespace-allow-list.js";
import { runCanary } from "../../src/use-cases/deploy/run-canary.js";
import { scaleService } from "../../src/use-cases/deploy/scale-service.js";
import { startDeploy } from "../../src/use-cases/deploy/start-deploy.js";
import { startRollback } from "../../src/use-cases/deploy/start-rollback.js";
import type { DeployDeps } from "../../src/use-cases/deploy/deploy-deps.js";
import { configWith, stagingEnv, startWorld, type World } from "../use-cases/deploy/fakes.js";

/**
 * Attack 4's second half (a repository config pointing deploys at a namespace the operator never
 * meant, `kube-system` above all): the operator's per-cluster allow-list (RELEASE_PILOT_SETTINGS
 * `clusters.<name>.namespaces`) is enforced on the cluster connections every deploy command
 * uses, so no repository config widens it. Against the fake Kubernetes API server.
 */
const settings = parseOperatorSettings("clusters:\n  main:\n    namespaces: [ml]\n");
const config = (namespace: string) => configWith({ staging: stagingEnv({ namespace }) });

let w: World;
let deps: DeployDeps;
const writes = () => w.fake.requests.filter((r) => r.method !== "GET").length;

beforeAll(async () => {
  w = await startWorld();
  // The system namespace holds a Deployment of the same name as one of ours.
  w.fake.addDeployment({
    namespace: "kube-system",
    name: "bankchurn",
    image: "registry.k8s.io/coredns:1.11",
    replicas: 2,
  });
  w.fake.addDeployment({
    namespace: "ml-other",
    name: "bankchurn",
    image: "ghcr.io/duqueom/bankchurn-api:1.1.0",
    replicas: 2,
  });
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  deps = { ...w.deps, clusters: allowListedClusters(w.deps.clusters, settings) };
  w.replies.length = 0;
});

describe("the operator's namespace allow-list", () => {
  it.each([
    [
      "/deploy",
      () =>
        startDeploy(deps, {
          ...w.call(config("kube-system")),
          command: { env: "staging", version: "1.2.0" },
        }),
    ],
    [
      "/rollback",
      () => startRollback(deps, { ...w.call(config("kube-system")), command: { env: "staging" } }),
    ],
    [
      "/canary",
      () =>
        runCanary(deps, {
          ...w.call(config("kube-system")),
          command: { name: "canary", env: "staging", version: "1.2.0" },
        }),
    ],
    [
      "/scale",
      () =>
        scaleService(deps, {
          ...w.call(config("kube-system")),
          command: {
            env: "staging",
            service: "bankchurn",
            replicas: 9,
          },
        }),
    ],
  ])(
    "refuses %s to a namespace it does not list, before locking, recording or touching the cluster",
    async (_name, run) => {
      const before = { writes: writes(), records: w.records.all.length };
      const result = await run();
      expect(result.reason).toBe("refused-permission");
      expect(result.message).toContain("The namespace `kube-system` on cluster `main` is not allowed");
      expect(result.message).toContain("operator settings");
      expect(w.records.all.length).toBe(before.records);
      expect(w.locks.locks.size).toBe(0);
      expect(writes()).toBe(before.writes);
      expect(w.fake.getDeployment("kube-system", "bankchurn")?.spec.template.spec.containers[0]?.image).toBe(
        "registry.k8s.io/coredns:1.11",
      );
    },
  );

  it("refuses a namespace another cluster's list would allow, and with no list at all, the system ones", async () => {
    const other = await startDeploy(deps, {
      ...w.call(config("ml-other")),
      command: { env: "staging", version: "1.2.0" },
    });
    expect(other.reason).toBe("refused-permission");
    const defaults = { ...w.deps, clusters: allowListedClusters(w.deps.clusters, parseOperatorSettings("")) };
    for (const namespace of ["kube-system", "kube-public", "kube-node-lease"]) {
      const result = await startDeploy(defaults, {
        ...w.call(config(namespace)),
        command: {
          env: "staging",
          version: "1.2.0",
        },
      });
      expect(result.reason).toBe("refused-permission");
      expect(result.message).toContain(`\`${namespace}\``);
    }
  });

  it("is the connection itself: a call that skipped the check is refused with a ClusterError naming the namespace", async () => {
    const cluster = deps.clusters.get("main");
    const before = writes();
    for (const call of [
      () => cluster!.patchDeployment("kube-system", "bankchurn", { spec: { replicas: 0 } }, "strategic"),
      () => cluster!.scale("kube-system", "bankchurn", 0),
      () => cluster!.getDeployment("kube-system", "bankchurn"),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ClusterError);
      expect(error).toMatchObject({ kind: "forbidden" });
      expect((error as Error).message).toContain("`kube-system`");
    }
    expect(writes()).toBe(before);
    // The listed namespace works as before through the same connection.
    expect((await cluster!.getDeployment("ml", "bankchurn")).metadata.name).toBe("bankchurn");
  });

  it("leaves a rollout recorded before the list was narrowed unresumed, and logs why", async () => {
    const wide = { ...w.deps };
    const started = await startDeploy(
      { ...wide, jobs: { run: () => undefined, idle: async () => undefined } as never },
      { ...w.call(config("ml")), command: { env: "staging", version: "1.2.0" } },
    );
    expect(started.reason).toBe("in-progress");
    const logged: string[] = [];
    const narrowed = {
      ...w.deps,
      clusters: allowListedClusters(
        w.deps.clusters,
        parseOperatorSettings("clusters:\n  main:\n    namespaces: [ml-other]\n"),
      ),
      log: {
        info: (fields: object, message: string) => void logged.push(`${message} ${JSON.stringify(fields)}`),
        error: () => undefined,
      },
    };
    const before = writes();
    expect(await resumeDeploys(() => narrowed, config("ml"), "https://github.example/o/r")).toEqual([]);
    expect(writes()).toBe(before);
    expect(logged.join("\n")).toContain("not resuming a Deployment that does not match");
    expect(logged.join("\n")).toContain("`ml` on cluster `main` is not allowed");
  });
});
