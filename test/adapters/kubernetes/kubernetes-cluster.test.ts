import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubernetesCluster } from "../../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../../src/adapters/kubernetes/load-kube-config.js";
import {
  buildAbortPlan,
  buildCanaryPlan,
  buildPromotePlan,
  type ClusterStep,
} from "../../../src/domain/deploy/build-canary-plan.js";
import { ClusterError, type Cluster } from "../../../src/ports/cluster.js";
import { startFakeCluster, type FakeCluster } from "../../../sandbox/kubernetes/index.js";

let fake: FakeCluster;
let cluster: KubernetesCluster;
const path = "/apis/apps/v1/namespaces/prod/deployments/web";

beforeEach(async () => {
  fake = await startFakeCluster({ tickMs: 0 });
  fake.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
  cluster = new KubernetesCluster(loadKubeConfig({ kind: "server", server: fake.url }), {
    retry: { retries: 2, backoffMs: 1 },
  });
});
afterEach(async () => {
  await fake.close();
});

const failure = async (p: Promise<unknown>): Promise<ClusterError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error("expected a ClusterError");
};
const hits = (method: string, p = path): number =>
  fake.requests.filter((r) => r.method === method && r.path === p).length;

describe("KubernetesCluster: reads and writes", () => {
  it("reads a deployment and its ReplicaSets as plain JSON", async () => {
    const d = await cluster.getDeployment("prod", "web");
    expect(d.metadata).toMatchObject({
      name: "web",
      namespace: "prod",
      annotations: { "deployment.kubernetes.io/revision": "1" },
    });
    expect(typeof (d.metadata as { creationTimestamp?: unknown }).creationTimestamp).toBe("string");
    const sets = await cluster.listReplicaSets("prod", "app=web");
    expect(sets).toHaveLength(1);
    expect(sets[0]?.spec?.template?.spec?.containers[0]?.image).toBe("web:1");
    expect(await cluster.listReplicaSets("prod", "app=other")).toEqual([]);
  });

  it("sends each patch type with its Content-Type", async () => {
    await cluster.patchDeployment("prod", "web", { metadata: { labels: { app: "web", a: "1" } } }, "merge");
    await cluster.patchDeployment(
      "prod",
      "web",
      [{ op: "add", path: "/metadata/labels/b", value: "2" }],
      "json",
    );
    const d = await cluster.patchDeployment(
      "prod",
      "web",
      { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } },
      "strategic",
    );
    expect(d.metadata.labels).toEqual({ app: "web", a: "1", b: "2" });
    expect(d.spec?.template?.spec?.containers).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === "PATCH").map((r) => r.contentType)).toEqual([
      "application/merge-patch+json",
      "application/json-patch+json",
      "application/strategic-merge-patch+json",
    ]);
  });

  it("scales through the scale subresource", async () => {
    await cluster.scale("prod", "web", 5);
    expect(fake.getDeployment("prod", "web")?.spec.replicas).toBe(5);
    expect(hits("PATCH", `${path}/scale`)).toBe(1);
  });

  it("loads a kubeconfig given as text", async () => {
    const yaml = `apiVersion: v1
kind: Config
clusters: [{ name: fake, cluster: { server: "${fake.url}", insecure-skip-tls-verify: true } }]
users: [{ name: me, user: {} }]
contexts: [{ name: fake, context: { cluster: fake, user: me, namespace: prod } }]
current-context: fake
`;
    const viaYaml = new KubernetesCluster(loadKubeConfig({ kind: "kubeconfig", yaml }));
    expect((await viaYaml.getDeployment("prod", "web")).metadata.name).toBe("web");
    const dir = mkdtempSync(join(tmpdir(), "kubeconfig-"));
    try {
      writeFileSync(join(dir, "config"), yaml);
      const viaFile = new KubernetesCluster(
        loadKubeConfig({ kind: "kubeconfig-file", path: join(dir, "config"), context: "fake" }),
      );
      expect((await viaFile.listReplicaSets("prod", "app=web")).length).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("KubernetesCluster: typed errors and retries", () => {
  it("maps 404, 403 and 422 to not-found, forbidden and invalid", async () => {
    expect(await failure(cluster.getDeployment("prod", "nope"))).toMatchObject({
      kind: "not-found",
      status: 404,
    });
    fake.faults.add({ path, status: 403, times: 1 });
    expect(await failure(cluster.getDeployment("prod", "web"))).toMatchObject({
      kind: "forbidden",
      status: 403,
    });
    const bad = await failure(
      cluster.patchDeployment("prod", "web", [{ op: "replace", path: "/spec/nope", value: 1 }], "json"),
    );
    expect(bad.kind).toBe("invalid");
  });

  it("retries 503 with backoff, and gives up after the bound", async () => {
    fake.faults.add({ method: "GET", path, status: 503, times: 2 });
    expect((await cluster.getDeployment("prod", "web")).metadata.name).toBe("web");
    expect(hits("GET")).toBe(3);
    fake.faults.add({ method: "GET", path, status: 500, times: 10 });
    expect(await failure(cluster.getDeployment("prod", "web"))).toMatchObject({
      kind: "unavailable",
      status: 500,
    });
    expect(hits("GET")).toBe(6);
  });

  it("retries a 409 on a plain patch but not when the patch has a precondition", async () => {
    fake.faults.add({ method: "PATCH", path, status: 409, times: 1 });
    await cluster.patchDeployment("prod", "web", { spec: { replicas: 3 } }, "merge");
    expect(hits("PATCH")).toBe(2);
    const stale = await failure(
      cluster.patchDeployment(
        "prod",
        "web",
        { metadata: { resourceVersion: "1" }, spec: { replicas: 4 } },
        "merge",
      ),
    );
    expect(stale.kind).toBe("conflict");
    expect(hits("PATCH")).toBe(3);
    expect(fake.getDeployment("prod", "web")?.spec.replicas).toBe(3);
  });

  it("times out a request that gets no answer, and reports a dead server as unavailable", async () => {
    const impatient = new KubernetesCluster(loadKubeConfig({ kind: "server", server: fake.url }), {
      retry: { retries: 0, backoffMs: 1 },
      requestTimeoutMs: 50,
    });
    fake.faults.add({ path, latencyMs: 5_000, times: 1 });
    expect(await failure(impatient.getDeployment("prod", "web"))).toMatchObject({ kind: "timeout" });
    const dead = await startFakeCluster({ tickMs: 0 });
    const url = dead.url;
    await dead.close();
    const gone = new KubernetesCluster(loadKubeConfig({ kind: "server", server: url }), {
      retry: { retries: 1, backoffMs: 1 },
    });
    expect(await failure(gone.getDeployment("prod", "web"))).toMatchObject({ kind: "unavailable" });
  });
});

describe("KubernetesCluster.watchRollout", () => {
  it("reports each distinct status and resolves when done", async () => {
    fake.startTicking(20);
    await cluster.patchDeployment(
      "prod",
      "web",
      { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } },
      "strategic",
    );
    const seen: string[] = [];
    const final = await cluster.watchRollout("prod", "web", {
      timeoutMs: 10_000,
      onUpdate: (s) => seen.push(s.message),
    });
    expect(final).toEqual({ kind: "done", message: 'deployment "web" successfully rolled out' });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    expect(
      fake.requests.some((r) => r.query.watch === "true" && r.query.allowWatchBookmarks === "true"),
    ).toBe(true);
  });

  it("resolves failed on a progress deadline and on a revision mismatch", async () => {
    fake.failImages("web:broken");
    fake.startTicking(10);
    await cluster.patchDeployment(
      "prod",
      "web",
      {
        spec: {
          progressDeadlineSeconds: 60,
          template: { spec: { containers: [{ name: "web", image: "web:broken" }] } },
        },
      },
      "strategic",
    );
    await expect(cluster.watchRollout("prod", "web", { timeoutMs: 10_000 })).resolves.toEqual({
      kind: "failed",
      message: 'deployment "web" exceeded its progress deadline',
    });
    await expect(
      cluster.watchRollout("prod", "web", { timeoutMs: 1_000, revision: 1 }),
    ).resolves.toMatchObject({ kind: "failed" });
  });

  it("resumes after the watch breaks, and times out on a rollout that cannot finish", async () => {
    fake.faults.add({
      method: "GET",
      path: "/apis/apps/v1/namespaces/prod/deployments",
      status: 500,
      times: 1,
    });
    fake.failImages("web:stuck");
    const stuck = { name: "web", image: "web:stuck" };
    await cluster.patchDeployment(
      "prod",
      "web",
      { spec: { progressDeadlineSeconds: 1_000_000, template: { spec: { containers: [stuck] } } } },
      "strategic",
    );
    fake.startTicking(10);
    const err = await failure(cluster.watchRollout("prod", "web", { timeoutMs: 400 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toMatch(/Waiting for deployment "web" rollout to finish/);
    expect(fake.requests.filter((r) => r.query.watch === "true").length).toBeGreaterThanOrEqual(2);
  });
});

// The verdict comes from the Deployment, never from the watch. The API server's watch contract:
// https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
// (resume from the last resourceVersion) and #410-gone-responses (re-list when it is too old).
describe("KubernetesCluster.watchRollout rides out watch faults", () => {
  const WATCH = /\/namespaces\/prod\/deployments\?.*watch=true/;
  const watches = () => fake.requests.filter((r) => r.query.watch === "true").length;
  const rollOut = async () => {
    await cluster.patchDeployment(
      "prod",
      "web",
      { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } },
      "strategic",
    );
    fake.startTicking(20);
  };
  const done = { kind: "done", message: 'deployment "web" successfully rolled out' };

  it.each([
    ["a 504 on the watch request", { status: 504 }],
    ["a 503 on the watch request", { status: 503 }],
    ["a 410 Gone as the watch's HTTP status", { status: 410 }],
    ["a 410 Gone ERROR event inside the stream", { watchError: 410 }],
    ["a 500 ERROR event inside the stream", { watchError: 500 }],
    ["a connection dropped mid-stream", { drop: true, latencyMs: 30 }],
  ])("%s: re-lists, re-watches and reports the rollout's own verdict", async (_name, fault) => {
    await rollOut();
    fake.faults.add({ method: "GET", path: WATCH, times: 2, ...fault });
    const final = await cluster.watchRollout("prod", "web", { timeoutMs: 20_000 });
    expect(final).toEqual(done);
    expect(fake.getDeployment("prod", "web")?.status.updatedReplicas).toBe(2);
    // Re-listed (a GET of the Deployment after the first) or reached the end while re-watching.
    expect(hits("GET") + watches()).toBeGreaterThanOrEqual(3);
  });

  it("a 403 on the watch is a permission error naming what the role lacks, not a verdict", async () => {
    await rollOut();
    fake.faults.add({ method: "GET", path: WATCH, status: 403 });
    const err = await failure(cluster.watchRollout("prod", "web", { timeoutMs: 20_000 }));
    expect(err).toMatchObject({ kind: "forbidden", status: 403 });
    expect(err.message).toContain("needs get and watch on deployments in prod");
    expect(watches()).toBe(1);
  });

  it("a watch broken for longer than the overall timeout ends in that timeout, with the last error", async () => {
    fake.failImages("web:2");
    await rollOut();
    fake.faults.add({ method: "GET", path: WATCH, status: 503 });
    const err = await failure(cluster.watchRollout("prod", "web", { timeoutMs: 300 }));
    expect(err.kind).toBe("timeout");
    expect(err.status).toBeUndefined();
    expect(err.message).toMatch(/the watch was interrupted \d+ time\(s\), last: .*HTTP 503/);
    // Backoff between tries: a handful of watches in 300 ms, not hundreds.
    expect(watches()).toBeGreaterThanOrEqual(2);
    expect(watches()).toBeLessThan(12);
  });

  it("a broken watch that heals lets a failing rollout fail on its own progress deadline", async () => {
    fake.failImages("web:broken");
    await cluster.patchDeployment(
      "prod",
      "web",
      {
        spec: {
          progressDeadlineSeconds: 60,
          template: { spec: { containers: [{ name: "web", image: "web:broken" }] } },
        },
      },
      "strategic",
    );
    fake.faults.add({ method: "GET", path: WATCH, status: 504, times: 3 });
    fake.startTicking(10);
    await expect(cluster.watchRollout("prod", "web", { timeoutMs: 20_000 })).resolves.toEqual({
      kind: "failed",
      message: 'deployment "web" exceeded its progress deadline',
    });
  });
});

describe("canary plans applied through the adapter", () => {
  const apply = async (c: Cluster, namespace: string, steps: ClusterStep[]): Promise<void> => {
    for (const s of steps)
      if (s.kind === "scale") await c.scale(namespace, s.name, s.replicas);
      else await c.patchDeployment(namespace, s.name, s.patch, s.patchType);
  };

  it("start → abort restores the canary; start → promote moves the image", async () => {
    fake.addDeployment({
      namespace: "prod",
      name: "web-canary",
      image: "web:1",
      container: "web",
      replicas: 0,
      labels: { app: "web-canary" },
    });
    const read = () =>
      Promise.all([cluster.getDeployment("prod", "web"), cluster.getDeployment("prod", "web-canary")]);
    const image = (name: string) => fake.getDeployment("prod", name)?.spec.template.spec.containers[0]?.image;

    let [main, canary] = await read();
    const start = buildCanaryPlan({ main, canary, image: "web:2", weightPercent: 50 });
    if (start.kind !== "plan") throw new Error(start.message);
    await apply(cluster, start.plan.namespace, start.plan.steps);
    fake.settle();
    expect([image("web-canary"), fake.getDeployment("prod", "web-canary")?.spec.replicas]).toEqual([
      "web:2",
      2,
    ]);

    [, canary] = await read();
    const abort = buildAbortPlan({ canary });
    if (abort.kind !== "plan") throw new Error(abort.message);
    await apply(cluster, abort.plan.namespace, abort.plan.steps);
    expect([image("web-canary"), fake.getDeployment("prod", "web-canary")?.spec.replicas]).toEqual([
      "web:1",
      0,
    ]);
    expect(
      fake.getDeployment("prod", "web-canary")?.metadata.annotations?.[
        "release-pilot.io/canary-previous-image"
      ],
    ).toBeUndefined();

    [main, canary] = await read();
    const again = buildCanaryPlan({ main, canary, image: "web:3", replicas: 1 });
    if (again.kind !== "plan") throw new Error(again.message);
    await apply(cluster, again.plan.namespace, again.plan.steps);
    [main, canary] = await read();
    const promote = buildPromotePlan({ main, canary });
    if (promote.kind !== "plan") throw new Error(promote.message);
    await apply(cluster, promote.plan.namespace, promote.plan.steps);
    fake.settle();
    expect([
      image("web"),
      image("web-canary"),
      fake.getDeployment("prod", "web-canary")?.spec.replicas,
    ]).toEqual(["web:3", "web:3", 0]);
    expect(fake.getDeployment("prod", "web")?.status.updatedReplicas).toBe(2);
  });
});
