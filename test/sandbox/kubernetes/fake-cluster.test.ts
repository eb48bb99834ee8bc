import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startFakeCluster, type FakeCluster, type Workload } from "../../../sandbox/kubernetes/index.js";

let cluster: FakeCluster;
beforeEach(async () => {
  cluster = await startFakeCluster({ tickMs: 0 });
});
afterEach(async () => {
  await cluster.close();
});

const base = "/apis/apps/v1/namespaces/prod/deployments";
const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
  const res = await fetch(cluster.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Workload };
};
const rsRevisions = (): Record<string, string | undefined> =>
  Object.fromEntries(
    cluster
      .listReplicaSets("prod", "app=web")
      .map((rs) => [
        rs.spec.template.spec.containers[0]?.image ?? "",
        rs.metadata.annotations?.["deployment.kubernetes.io/revision"],
      ]),
  );

describe("fake API server: REST semantics", () => {
  it("serves version and discovery with the scale subresource kubectl needs", async () => {
    expect((await call("GET", "/version")).body).toMatchObject({
      major: "1",
      minor: "32",
      gitVersion: "v1.32.0",
    });
    expect((await call("GET", "/apis")).body).toMatchObject({
      kind: "APIGroupList",
      groups: [{ name: "apps" }],
    });
    const apps = await call("GET", "/apis/apps/v1");
    expect(apps.body.resources).toContainEqual(
      expect.objectContaining({
        name: "deployments/scale",
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
      }),
    );
    expect((await call("GET", "/openapi/v3")).status).toBe(404);
  });

  it("creates with defaults, gets, lists by label and 404s with a v1 Status", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
    cluster.addDeployment({ namespace: "prod", name: "api", image: "api:1", replicas: 1 });
    const got = await call("GET", `${base}/web`);
    expect(got.body.spec).toMatchObject({
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(got.body.spec.template.spec.containers[0]).toMatchObject({
      name: "web",
      image: "web:1",
      imagePullPolicy: "IfNotPresent",
    });
    const list = await call("GET", `${base}?labelSelector=app%3Dapi`);
    expect(list.body).toMatchObject({ kind: "DeploymentList" });
    expect((list.body.items as Workload[]).map((d) => d.metadata.name)).toEqual(["api"]);
    const missing = await call("GET", `${base}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'deployments.apps "nope" not found',
    });
    const dup = await call("POST", base, { metadata: { name: "web" }, spec: got.body.spec });
    expect(dup.status).toBe(409);
  });

  it("bumps generation only on spec changes and enforces resourceVersion on update", async () => {
    const d = cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
    const labelled = await call(
      "PATCH",
      `${base}/web`,
      { metadata: { labels: { app: "web", tier: "x" } } },
      "application/merge-patch+json",
    );
    expect(labelled.body.metadata.generation).toBe(d.metadata.generation);
    expect(Number(labelled.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(d.metadata.resourceVersion),
    );
    const stale = await call("PUT", `${base}/web`, { ...d, spec: { ...d.spec, replicas: 5 } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe("Conflict");
    const fresh = await call("PUT", `${base}/web`, {
      ...labelled.body,
      spec: { ...labelled.body.spec, replicas: 5 },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.metadata.generation).toBe(d.metadata.generation + 1);
    const json = await call(
      "PATCH",
      `${base}/web`,
      [{ op: "replace", path: "/spec/paused", value: true }],
      "application/json-patch+json",
    );
    expect(json.status).toBe(422);
    const json2 = await call(
      "PATCH",
      `${base}/web`,
      [{ op: "add", path: "/spec/paused", value: true }],
      "application/json-patch+json",
    );
    expect(json2.body.spec.paused).toBe(true);
    expect(json2.body.metadata.generation).toBe(d.metadata.generation + 2);
    const immutable = await call(
      "PATCH",
      `${base}/web`,
      { spec: { selector: { matchLabels: { app: "other" } } } },
      "application/merge-patch+json",
    );
    expect(immutable.status).toBe(422);
  });

  it("serves the scale subresource (get, merge patch, put)", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
    const scale = await call("GET", `${base}/web/scale`);
    expect(scale.body).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 2 },
      status: { selector: "app=web" },
    });
    const patched = await call(
      "PATCH",
      `${base}/web/scale`,
      { spec: { replicas: 4 } },
      "application/merge-patch+json",
    );
    expect(patched.body.spec).toEqual({ replicas: 4 });
    const put = await call("PUT", `${base}/web/scale`, { ...patched.body, spec: { replicas: 1 } });
    expect(put.body.spec).toEqual({ replicas: 1 });
    expect(cluster.getDeployment("prod", "web")?.spec.replicas).toBe(1);
  });

  it("streams watch events from a resourceVersion, with bookmarks, and ends on timeoutSeconds", async () => {
    await cluster.close();
    cluster = await startFakeCluster({ tickMs: 0, bookmarkMs: 10 });
    const d = cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    const res = await fetch(
      `${cluster.url}${base}?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dweb&resourceVersion=${d.metadata.resourceVersion}`,
    );
    await call("PATCH", `${base}/web/scale`, { spec: { replicas: 3 } }, "application/merge-patch+json");
    const text = await res.text();
    const events = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: Workload });
    expect(events.find((e) => e.type !== "BOOKMARK")).toMatchObject({
      type: "MODIFIED",
      object: { spec: { replicas: 3 } },
    });
    expect(events.some((e) => e.type === "BOOKMARK")).toBe(true);
  });

  it("answers a watch from a compacted resourceVersion with a 410 Expired ERROR event, and resumes from a kept one", async () => {
    await cluster.close();
    cluster = await startFakeCluster({ tickMs: 0, eventLogLimit: 3 });
    const d = cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    const old = d.metadata.resourceVersion!;
    for (const replicas of [2, 3, 4, 5])
      await call("PATCH", `${base}/web/scale`, { spec: { replicas } }, "application/merge-patch+json");
    const lines = async (rv: string) =>
      (await (await fetch(`${cluster.url}${base}?watch=1&timeoutSeconds=1&resourceVersion=${rv}`)).text())
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; object: Record<string, unknown> });
    const gone = await lines(old);
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", status: "Failure", code: 410, reason: "Expired" },
    });
    expect(String(gone[0]!.object.message)).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    // The newest three changes are kept: resuming after the second-to-last sees the last one.
    const latest = Number(cluster.getDeployment("prod", "web")!.metadata.resourceVersion);
    const resumed = await lines(String(latest - 1));
    expect(resumed.map((e) => e.type)).toEqual(["MODIFIED"]);
    expect(resumed[0]!.object).toMatchObject({ spec: { replicas: 5 } });
  });

  it("answers injected faults a limited number of times", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    cluster.faults.add({ method: "GET", path: `${base}/web`, status: 503, times: 2 });
    expect((await call("GET", `${base}/web`)).status).toBe(503);
    expect((await call("GET", `${base}/web`)).status).toBe(503);
    expect((await call("GET", `${base}/web`)).status).toBe(200);
    cluster.faults.add({ path: /\/scale$/, status: 409 });
    expect((await call("GET", `${base}/web/scale`)).status).toBe(409);
  });
});

describe("fake API server: ReplicaSets and initial watch events", () => {
  it("lists ReplicaSets by label, and deleting a Deployment collects its ReplicaSets", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    const list = await call("GET", "/apis/apps/v1/namespaces/prod/replicasets?labelSelector=app%3Dweb");
    const items = list.body.items as Workload[];
    expect(items).toHaveLength(1);
    expect(items[0]?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "Deployment",
      name: "web",
      controller: true,
    });
    expect(
      (await call("GET", "/apis/apps/v1/namespaces/prod/replicasets?labelSelector=app%21%3Dweb")).body.items,
    ).toEqual([]);
    expect((await call("DELETE", `${base}/web`)).status).toBe(200);
    expect(cluster.listReplicaSets("prod")).toEqual([]);
  });

  it("sends initial ADDED events and the initial-events-end bookmark when asked", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    const res = await fetch(
      `${cluster.url}${base}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    const events = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: Workload });
    expect(events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "web" } } });
    expect(events[1]).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
  });
});

describe("fake API server: simulated deployment controller", () => {
  it("rolls a new image out through a new ReplicaSet with the next revision", () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 4 });
    const [first] = cluster.listReplicaSets("prod");
    expect(first?.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(first?.metadata.labels?.["pod-template-hash"]).toBe(first?.metadata.name.slice(4));
    const d = cluster.getDeployment("prod", "web")!;
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 4,
      updatedReplicas: 4,
      availableReplicas: 4,
    });
    expect(d.status.conditions?.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
  });

  it("reuses the old ReplicaSet (bumping its revision) when the template returns", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
    const setImage = (image: string) =>
      call(
        "PATCH",
        `${base}/web`,
        { spec: { template: { spec: { containers: [{ name: "web", image }] } } } },
        "application/strategic-merge-patch+json",
      );
    await setImage("web:2");
    cluster.tick();
    const mid = cluster.getDeployment("prod", "web")!;
    expect(mid.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(mid.status.conditions?.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetCreated");
    cluster.settle();
    await setImage("web:1");
    cluster.settle();
    expect(rsRevisions()).toEqual({ "web:1": "3", "web:2": "2" });
    const old = cluster
      .listReplicaSets("prod")
      .find((rs) => rs.spec.template.spec.containers[0]?.image === "web:1");
    expect(old?.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(old?.spec.replicas).toBe(2);
    expect(
      cluster.getDeployment("prod", "web")?.metadata.annotations?.["deployment.kubernetes.io/revision"],
    ).toBe("3");
  });

  it("reports ProgressDeadlineExceeded when the new image never starts, keeping old pods", async () => {
    cluster.addDeployment({
      namespace: "prod",
      name: "web",
      image: "web:1",
      replicas: 4,
      progressDeadlineSeconds: 120,
    });
    cluster.failImages(/:bad$/);
    await call(
      "PATCH",
      `${base}/web`,
      { spec: { template: { spec: { containers: [{ name: "web", image: "web:bad" }] } } } },
      "application/strategic-merge-patch+json",
    );
    cluster.tick(3);
    expect(
      cluster.getDeployment("prod", "web")?.status.conditions?.find((c) => c.type === "Progressing")?.reason,
    ).not.toBe("ProgressDeadlineExceeded");
    cluster.tick(10);
    const d = cluster.getDeployment("prod", "web")!;
    expect(d.status.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
    });
    expect(d.status.availableReplicas).toBeGreaterThanOrEqual(3);
    expect(d.status.updatedReplicas).toBeLessThan(4);
  });

  it("does not roll a paused deployment, and rolls once resumed", async () => {
    cluster.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 2 });
    const patch = (body: unknown) => call("PATCH", `${base}/web`, body, "application/merge-patch+json");
    await patch({ spec: { paused: true } });
    await call(
      "PATCH",
      `${base}/web`,
      { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } },
      "application/strategic-merge-patch+json",
    );
    cluster.settle();
    expect(cluster.listReplicaSets("prod")).toHaveLength(1);
    expect(
      cluster.getDeployment("prod", "web")?.status.conditions?.find((c) => c.type === "Progressing")?.reason,
    ).toBe("DeploymentPaused");
    await patch({ spec: { paused: null } });
    cluster.settle();
    expect(rsRevisions()).toEqual({ "web:1": "1", "web:2": "2" });
    expect(cluster.getDeployment("prod", "web")?.status.updatedReplicas).toBe(2);
  });
});
