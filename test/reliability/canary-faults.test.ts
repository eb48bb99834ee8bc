import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

/**
 * `/canary`, `/promote` and `/abort` on `production` with faults past every retry, through the
 * real app, the sandbox GitHub and the fake cluster. A 403 is the API server's RBAC refusal
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/): a permission to grant, told as
 * such, never as a failed rollout. GitHub's Deployments API:
 * https://docs.github.com/en/rest/deployments/deployments#create-a-deployment.
 */
jest.setTimeout(180_000);

const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const NS = "/apis/apps/v1/namespaces/ml-production/deployments";

let e2e: EndToEnd;
beforeAll(async () => {
  e2e = await startEndToEnd({ kubernetes: true });
  const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
  await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.3.0", sha: main ?? "" });
});
afterEach(() => {
  e2e.cluster?.faults.clear();
  e2e.sandbox.faults.clear();
});
afterAll(async () => {
  await e2e?.close();
});

const say = async (body: string): Promise<string[]> => {
  const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: body });
  e2e.sandbox.comment(e2e.repo, issue, "maintainer", body);
  await e2e.settle({ timeoutMs: 120_000 });
  return e2e.repliesTo(issue, "maintainer");
};
const image = (name: string) =>
  e2e.cluster?.getDeployment("ml-production", name)?.spec.template.spec.containers[0]?.image ?? "";
const replicas = (name: string) => e2e.cluster?.getDeployment("ml-production", name)?.spec.replicas;
const locked = async () =>
  (await e2e.sandbox.getRef(e2e.repo, "refs/release-pilot/locks/production")) !== undefined;
const records = () => e2e.sandbox.deployments(e2e.repo).filter((d) => d.environment === "production");

describe("canary commands with faults past the retries", () => {
  it("/canary: Kubernetes refuses the canary's patch (403): told as a permission to grant, not a failure; the lock given back; the re-run completes once", async () => {
    e2e.cluster?.faults.add({ method: "PATCH", path: `${NS}/bankchurn-canary`, status: 403 });
    const refused = await say("/canary production 1.3.0");
    expect(refused).toHaveLength(2);
    expect(refused[0]).toContain("🐤 Canary of **1.3.0** on `production` started");
    expect(refused[1]).toMatch(
      /^⚠️ Canary on `production` stopped: Kubernetes refused release-pilot permission \(403\)/,
    );
    expect(refused[1]).toContain("`/status production` shows what changed");
    expect(refused[1]).not.toMatch(/failed|GitHub answered/);
    expect(image("bankchurn")).toMatch(/:1\.1\.0$/);
    expect(await locked()).toBe(false);

    e2e.cluster?.faults.clear();
    const again = await say("/canary production 1.3.0");
    expect(again.at(-1)).toContain("✅ Canary of **1.3.0** on `production` done");
    expect(image("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.3.0");
    expect(replicas("bankchurn-canary")).toBe(1);
    expect(image("bankchurn")).toMatch(/:1\.1\.0$/);
    expect(await locked()).toBe(false);
  });

  it("/promote: Kubernetes refuses the stable service's patch (403): a permission error, nothing recorded as deployed; the re-run promotes once", async () => {
    const before = records().length;
    e2e.cluster?.faults.add({ method: "PATCH", path: `${NS}/bankchurn`, status: 403 });
    const refused = await say("/promote production");
    expect(refused.at(-1)).toMatch(
      /^⚠️ Promotion on `production` stopped: Kubernetes refused release-pilot permission \(403\)/,
    );
    expect(refused.at(-1)).not.toContain("failed");
    expect(records()).toHaveLength(before);
    expect(image("bankchurn")).toMatch(/:1\.1\.0$/);
    expect(await locked()).toBe(false);

    e2e.cluster?.faults.clear();
    const again = await say("/promote production");
    expect(again.at(-1)).toContain("✅ Promotion of **1.3.0** on `production` done");
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.3\.0$/);
    expect(replicas("bankchurn-canary")).toBe(0);
    const promoted = records().filter((d) => d.ref === "v1.3.0" && d.task === "deploy");
    expect(promoted).toHaveLength(1);
    expect(promoted[0]?.statuses.map((x) => x.state)).toEqual(["success"]);
  });

  it("/canary: the watch refused (403): the changes are made and the outcome told as unknown, not failed", async () => {
    e2e.cluster?.faults.add({
      method: "GET",
      path: /\/ml-production\/deployments\?.*watch=true/,
      status: 403,
    });
    // The controller held until the app watches, so the refused watch is met (as cluster-faults.test.ts does).
    e2e.cluster?.stopTicking();
    const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: "canary" });
    e2e.sandbox.comment(e2e.repo, issue, "maintainer", "/canary production 1.3.0");
    const watched = () =>
      (e2e.cluster?.requests ?? []).some(
        (r) => r.query.watch === "true" && r.path.includes("/ml-production/"),
      );
    for (const started = Date.now(); !watched() && Date.now() - started < 30_000;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    e2e.cluster?.startTicking(10);
    await e2e.settle({ timeoutMs: 120_000 });
    const replies = e2e.repliesTo(issue, "maintainer");
    expect(replies.at(-1)).toMatch(
      /^⚠️ Canary of \*\*1\.3\.0\*\* on `production`: the changes were made, but Kubernetes refused release-pilot permission to follow the rollout/,
    );
    expect(replies.at(-1)).not.toContain("failed");
    expect(await locked()).toBe(false);
    e2e.cluster?.faults.clear();
    const aborted = await say("/abort production");
    expect(aborted.at(-1)).toMatch(/^✅ Canary abort of \*\*[^*]+\*\* on `production` done:/);
    expect(replicas("bankchurn-canary")).toBe(0);
  });
});
