import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startFakeCluster, type ClusterTokens, type FakeCluster } from "../../../sandbox/kubernetes/index.js";

// Tokens as a RoleBinding grants them: verbs per namespace
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/).
const DEPLOYER = "system:serviceaccount:release-pilot:deployer";
const tokens: ClusterTokens = {
  "staging-only": {
    user: DEPLOYER,
    namespaces: { "ml-staging": ["get", "list", "watch", "patch", "update"] },
  },
  "read-prod": { user: "system:serviceaccount:ops:viewer", namespaces: { "ml-production": ["get", "list"] } },
  "cluster-admin": { user: "admin", namespaces: { "*": ["get", "list", "watch", "patch", "update"] } },
};

let cluster: FakeCluster;
beforeEach(async () => {
  cluster = await startFakeCluster({
    tickMs: 0,
    tokens,
  });
  for (const namespace of ["ml-staging", "ml-production"])
    cluster.addDeployment({ namespace, name: "web", image: "web:1", replicas: 1 });
});
afterEach(async () => {
  await cluster.close();
});

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/merge-patch+json";
  const res = await fetch(cluster.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const deployments = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;
const imagePatch = { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } };

describe("fake API server: bearer tokens and per-namespace RBAC", () => {
  it("answers 401 Unauthorized without a token, with an unknown one, or with another scheme", async () => {
    for (const auth of [undefined, "nope"]) {
      const res = await call("GET", `${deployments("ml-staging")}/web`, auth);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Unauthorized",
        message: "Unauthorized",
        code: 401,
      });
    }
    const basic = await fetch(`${cluster.url}${deployments("ml-staging")}`, {
      headers: { authorization: "Basic c3RhZ2luZy1vbmx5Og==" },
    });
    expect(basic.status).toBe(401);
    // Discovery too needs an authenticated user, but any one (system:discovery).
    expect((await call("GET", "/apis/apps/v1")).status).toBe(401);
    expect((await call("GET", "/apis/apps/v1", "read-prod")).status).toBe(200);
  });

  it("lets a token do what its namespace grants and nothing else", async () => {
    expect((await call("GET", `${deployments("ml-staging")}/web`, "staging-only")).status).toBe(200);
    const patched = await call("PATCH", `${deployments("ml-staging")}/web`, "staging-only", imagePatch);
    expect(patched.status).toBe(200);
    expect(cluster.getDeployment("ml-staging", "web")?.spec.template.spec.containers[0]?.image).toBe("web:2");
    // get and list in production, but not patch.
    expect((await call("GET", deployments("ml-production"), "read-prod")).status).toBe(200);
    expect((await call("PATCH", `${deployments("ml-production")}/web`, "read-prod", imagePatch)).status).toBe(
      403,
    );
    // A cluster-wide binding covers every namespace.
    expect(
      (await call("PATCH", `${deployments("ml-production")}/web`, "cluster-admin", imagePatch)).status,
    ).toBe(200);
  });

  it("refuses a patch outside the token's namespace with the apiserver's Forbidden Status, changing nothing", async () => {
    const before = cluster.getDeployment("ml-production", "web");
    const res = await call("PATCH", `${deployments("ml-production")}/web`, "staging-only", imagePatch);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      reason: "Forbidden",
      code: 403,
      message: `deployments.apps "web" is forbidden: User "${DEPLOYER}" cannot patch resource "deployments" in API group "apps" in the namespace "ml-production"`,
      details: { name: "web", group: "apps", kind: "deployments" },
    });
    expect(cluster.getDeployment("ml-production", "web")).toEqual(before);
  });

  it("names the verb, the subresource and the scope the grant lacks", async () => {
    const list = await call("GET", deployments("ml-production"), "staging-only");
    expect(list.status).toBe(403);
    expect(list.body.message).toBe(
      `deployments.apps is forbidden: User "${DEPLOYER}" cannot list resource "deployments" in API group "apps" in the namespace "ml-production"`,
    );
    const watch = await call("GET", `${deployments("ml-production")}?watch=true`, "staging-only");
    expect(watch.status).toBe(403);
    expect(watch.body.message).toMatch(/cannot watch resource "deployments"/);
    const scale = await call("PATCH", `${deployments("ml-production")}/web/scale`, "read-prod", {
      spec: { replicas: 3 },
    });
    expect(scale.status).toBe(403);
    expect(scale.body.message).toMatch(/cannot patch resource "deployments\/scale" in API group "apps"/);
    // Every namespace at once needs a cluster-wide grant.
    const all = await call("GET", "/apis/apps/v1/deployments", "staging-only");
    expect(all.status).toBe(403);
    expect(all.body.message).toMatch(
      /cannot list resource "deployments" in API group "apps" at the cluster scope$/,
    );
    expect((await call("GET", "/apis/apps/v1/deployments", "cluster-admin")).status).toBe(200);
    // create and delete were never granted.
    expect((await call("DELETE", `${deployments("ml-staging")}/web`, "staging-only")).status).toBe(403);
    expect(cluster.getDeployment("ml-staging", "web")).toBeDefined();
  });

  it("does not take a token's grant from the object's prototype or a crafted header", async () => {
    expect((await call("GET", deployments("ml-staging"), "__proto__")).status).toBe(401);
    expect((await call("GET", deployments("ml-staging"), "staging-only extra")).status).toBe(401);
    expect(
      (await call("GET", `/apis/apps/v1/namespaces/constructor/deployments`, "staging-only")).status,
    ).toBe(403);
  });
});

describe("fake API server without tokens", () => {
  it("allows every request, as before", async () => {
    const open = await startFakeCluster({ tickMs: 0 });
    try {
      open.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
      const res = await fetch(`${open.url}/apis/apps/v1/namespaces/prod/deployments/web`, {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify(imagePatch),
      });
      expect(res.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
