import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { KubernetesCluster } from "../../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../../src/adapters/kubernetes/load-kube-config.js";
import type { DeployPlan } from "../../../src/domain/deploy/build-canary-plan.js";
import {
  applyClusterPlans,
  CLUSTER_CONCURRENCY,
  forEachBounded,
} from "../../../src/use-cases/deploy/apply-cluster-steps.js";
import { patchRollbacks } from "../../../src/use-cases/deploy/apply-rollbacks.js";
import type { ServiceRollback } from "../../../src/use-cases/deploy/plan-rollbacks.js";
import { Timeline } from "../../../src/use-cases/deploy/timeline.js";
import { startFakeCluster, type FakeCluster } from "../../../sandbox/kubernetes/index.js";

const NS = "ml";
const SERVICES = Array.from({ length: 12 }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
/** Each PATCH is held this long at the fake API server before it is answered. */
const HELD_MS = 1500;

let fake: FakeCluster;
let cluster: KubernetesCluster;
const timeline = new Timeline({ now: () => new Date("2026-01-01T00:00:00Z") });

beforeEach(async () => {
  fake = await startFakeCluster({ tickMs: 5 });
  for (const name of SERVICES)
    fake.addDeployment({ namespace: NS, name, image: `ghcr.io/acme/${name}:1.1.0`, replicas: 1 });
  cluster = new KubernetesCluster(loadKubeConfig({ kind: "server", server: fake.url }), {
    retry: { retries: 0, backoffMs: 1 },
  });
  fake.faults.add({ method: "PATCH", path: /\/deployments\//, latencyMs: HELD_MS });
});
afterEach(async () => {
  await fake.close();
});

const patchesArrived = () => fake.requests.filter((r) => r.method === "PATCH").length;

/**
 * Watches the fake API server while `run` goes: the most PATCHes it had received while none had
 * been answered yet (each is held HELD_MS), i.e. how many were in flight together.
 */
const inFlightBeforeFirstAnswer = async (run: () => Promise<unknown>, answered: () => number) => {
  let most = 0;
  let done = false;
  const running = run().finally(() => (done = true));
  while (!done) {
    if (answered() === 0) most = Math.max(most, patchesArrived());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await running;
  return most;
};

/** Counts answered patches on the client side: the fake server holds each one before answering. */
const counting = (inner: KubernetesCluster) => {
  let answered = 0;
  const wrapped = Object.create(inner) as KubernetesCluster;
  wrapped.patchDeployment = async (...args: Parameters<KubernetesCluster["patchDeployment"]>) => {
    const d = await inner.patchDeployment(...args);
    answered++;
    return d;
  };
  return { cluster: wrapped, answered: () => answered };
};

describe("patches for several services are sent side by side, bounded", () => {
  it("a rollback's patches overlap at the API server, at most CLUSTER_CONCURRENCY at once", async () => {
    const plans: ServiceRollback[] = [];
    for (const name of SERVICES) {
      const d = await cluster.getDeployment(NS, name);
      const template = structuredClone(d.spec!.template)!;
      template.spec!.containers[0]!.image = `ghcr.io/acme/${name}:1.0.0`;
      plans.push({
        deployment: name,
        container: name,
        image: `ghcr.io/acme/${name}:1.0.0`,
        // The JSON patch `kubectl rollout undo` sends (build-rollback.ts).
        plan: {
          kind: "patch",
          toRevision: 1,
          template,
          patch: [{ op: "replace", path: "/spec/template", value: template }],
          message: "",
        },
      });
    }
    const c = counting(cluster);
    const most = await inFlightBeforeFirstAnswer(
      () => patchRollbacks(c.cluster, NS, plans, timeline),
      c.answered,
    );
    // Sent one after another, the server would hold one PATCH at a time.
    expect(most).toBe(CLUSTER_CONCURRENCY);
    expect(patchesArrived()).toBe(SERVICES.length);
    for (const name of SERVICES)
      expect(fake.getDeployment(NS, name)?.spec.template.spec.containers[0]?.image).toBe(
        `ghcr.io/acme/${name}:1.0.0`,
      );
  });

  it("a canary's plans for several services overlap, each plan's own steps staying in order", async () => {
    const plans: DeployPlan[] = SERVICES.slice(0, 3).map((name) => ({
      namespace: NS,
      summary: name,
      steps: [
        {
          kind: "patch",
          name,
          patchType: "strategic",
          patch: {
            spec: { template: { spec: { containers: [{ name, image: `ghcr.io/acme/${name}:1.2.0` }] } } },
          },
          description: `set ${name}`,
        },
        { kind: "scale", name, replicas: 3, description: `scale ${name}` },
      ],
    }));
    const c = counting(cluster);
    const most = await inFlightBeforeFirstAnswer(
      () => applyClusterPlans(c.cluster, plans, timeline),
      c.answered,
    );
    expect(most).toBe(3);
    // Per service, the patch reached the server before its scale.
    for (const name of SERVICES.slice(0, 3)) {
      const mine = fake.requests.filter(
        (r) => r.path.endsWith(`/deployments/${name}`) || r.path.endsWith(`/deployments/${name}/scale`),
      );
      const kinds = mine
        .filter((r) => r.method !== "GET")
        .map((r) => (r.path.endsWith("/scale") ? "scale" : "patch"));
      expect(kinds).toEqual(["patch", "scale"]);
      expect(fake.getDeployment(NS, name)?.spec.replicas).toBe(3);
    }
  });
});

describe("forEachBounded", () => {
  it("starts nothing new after a failure, waits for those started, then throws the first failure", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const work = async (n: number) => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 5 : 30));
      if (n === 1) throw new Error("refused 1");
      finished.push(n);
    };
    await expect(forEachBounded([0, 1, 2, 3, 4, 5], 3, work)).rejects.toThrow("refused 1");
    // 0, 1, 2 start together; 1 fails first, so 3, 4, 5 never start; 0 and 2 finish before the throw.
    expect(started).toEqual([0, 1, 2]);
    expect(finished.sort()).toEqual([0, 2]);
  });
});
