import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { Octokit } from "../../src/adapters/github/octokit.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { GitHubRefLocks } from "../../src/adapters/github/ref-locks.js";
import { RetryingOctokit } from "./support/retrying-octokit.js";

/**
 * `/canary`, `/promote` and `/abort` on `production` with faults past every retry, through the
 * real app, the sandbox GitHub and the fake cluster. A 403 is the API server's RBAC refusal
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/): a permission to grant, told as
 * such, never as a failed rollout. GitHub's Deployments API:
 * https://docs.github.com/en/rest/deployments/deployments#create-a-deployment. The app runs with
 * Probot's retry plugin (waits scaled to milliseconds), which retries a 5xx and not a 403
 * (https://github.com/octokit/plugin-retry.js#options: `doNotRetry`).
 */
jest.setTimeout(180_000);

const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const NS = "/apis/apps/v1/namespaces/ml-production/deployments";

let e2e: EndToEnd;
beforeAll(async () => {
  e2e = await startEndToEnd({ kubernetes: true, Octokit: RetryingOctokit });
  const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
  for (const version of ["1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0"])
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
});
afterEach(() => {
  e2e.cluster?.faults.clear();
  e2e.sandbox.faults.clear();
});
afterAll(async () => {
  await e2e?.close();
});

/** A maintainer's command on a new issue; the replies once `count` of them (2 when a job reports) are there. */
const say = async (body: string, count = 1): Promise<string[]> => {
  const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: body });
  e2e.sandbox.comment(e2e.repo, issue, "maintainer", body);
  await e2e.settle({ timeoutMs: 120_000 });
  // On a loaded machine the sandbox can look quiet between two of the app's requests (a retry's
  // wait, a slow handler): wait for the replies the command gives, then for its job to end.
  for (
    const started = Date.now();
    e2e.repliesTo(issue, "maintainer").length < count && Date.now() - started < 90_000;
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await e2e.settle({ timeoutMs: 120_000 });
  }
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
    const refused = await say("/canary production 1.3.0", 2);
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
    const again = await say("/canary production 1.3.0", 2);
    expect(again.at(-1)).toContain("✅ Canary of **1.3.0** on `production` done");
    expect(image("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.3.0");
    expect(replicas("bankchurn-canary")).toBe(1);
    expect(image("bankchurn")).toMatch(/:1\.1\.0$/);
    expect(await locked()).toBe(false);
  });

  it("/promote: Kubernetes refuses the stable service's patch (403): a permission error, nothing recorded as deployed; the re-run promotes once", async () => {
    const before = records().length;
    e2e.cluster?.faults.add({ method: "PATCH", path: `${NS}/bankchurn`, status: 403 });
    const refused = await say("/promote production", 2);
    expect(refused.at(-1)).toMatch(
      /^⚠️ Promotion on `production` stopped: Kubernetes refused release-pilot permission \(403\)/,
    );
    expect(refused.at(-1)).not.toContain("failed");
    expect(records()).toHaveLength(before);
    expect(image("bankchurn")).toMatch(/:1\.1\.0$/);
    expect(await locked()).toBe(false);

    e2e.cluster?.faults.clear();
    const again = await say("/promote production", 2);
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
    const aborted = await say("/abort production", 2);
    expect(aborted.at(-1)).toMatch(/^✅ Canary abort of \*\*[^*]+\*\* on `production` done:/);
    expect(replicas("bankchurn-canary")).toBe(0);
  });
});

const DEPLOYMENTS = "/repos/duqueom/ml-mlops-portfolio/deployments";
const STATUSES = /^\/repos\/duqueom\/ml-mlops-portfolio\/deployments\/\d+\/statuses$/;
const COMMENTS = /^\/repos\/duqueom\/ml-mlops-portfolio\/issues\/\d+\/comments$/;
const promotionsOf = (version: string) =>
  records().filter((d) => d.ref === `v${version}` && d.task === "deploy");
const answered = (method: string, path: string | RegExp, status: number) =>
  e2e.sandbox.requests.filter(
    (r) =>
      r.method === method &&
      (typeof path === "string" ? r.path === path : path.test(r.path)) &&
      r.status === status,
  ).length;
const canaryOf = async (version: string) => {
  const started = await say(`/canary production ${version}`, 2);
  expect(started.at(-1)).toContain(`✅ Canary of **${version}** on \`production\` done`);
};

describe("GitHub faults on a promotion's record and on the replies", () => {
  it("T: a 502 once on creating the record, a 503 once on its status, a 502 once on the reply: retried, one record, one status, one reply each", async () => {
    await canaryOf("1.4.0");
    const before = { created: answered("POST", DEPLOYMENTS, 502), status: answered("POST", STATUSES, 503) };
    e2e.sandbox.faults.add({ method: "POST", path: DEPLOYMENTS, status: 502, times: 1 });
    e2e.sandbox.faults.add({ method: "POST", path: STATUSES, status: 503, times: 1 });
    e2e.sandbox.faults.add({ method: "POST", path: COMMENTS, status: 502, times: 1 });
    const replies = await say("/promote production", 2);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain("🐤 Promotion of **1.4.0** on `production` started");
    expect(replies[1]).toContain("✅ Promotion of **1.4.0** on `production` done");
    expect(replies[1]).not.toContain("GitHub refused");
    // Each fault was met once and carried by the retry.
    expect(answered("POST", DEPLOYMENTS, 502)).toBe(before.created + 1);
    expect(answered("POST", STATUSES, 503)).toBe(before.status + 1);
    const promoted = promotionsOf("1.4.0");
    expect(promoted).toHaveLength(1);
    expect(promoted[0]?.statuses.map((x) => x.state)).toEqual(["success"]);
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.4\.0$/);
    expect(await locked()).toBe(false);
  });

  it("P: the record refused (403): the reply says GitHub refused it and the cluster is promoted; the lock given back; the re-run records it once", async () => {
    await canaryOf("1.5.0");
    e2e.sandbox.faults.add({ method: "POST", path: DEPLOYMENTS, status: 403 });
    const refused = await say("/promote production", 2);
    expect(refused.at(-1)).toContain("✅ Promotion of **1.5.0** on `production` done");
    expect(refused.at(-1)).toContain(
      "⚠️ GitHub refused the promotion's Deployment record (GitHub answered 403): the cluster is as listed above, but `production`'s deployment history does not show **1.5.0**. `/promote production` again records it; nothing is changed in the cluster.",
    );
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.5\.0$/);
    expect(replicas("bankchurn-canary")).toBe(0);
    expect(promotionsOf("1.5.0")).toHaveLength(0);
    expect(await locked()).toBe(false);

    e2e.sandbox.faults.clear();
    const patches = (e2e.cluster?.requests ?? []).filter((r) => r.method === "PATCH").length;
    const again = await say("/promote production");
    expect(again.at(-1)).toBe(
      "✅ The promotion of **1.5.0** on `production` was already made in the cluster; I recorded it as a GitHub Deployment, which GitHub refused earlier.",
    );
    expect((e2e.cluster?.requests ?? []).filter((r) => r.method === "PATCH")).toHaveLength(patches);
    const promoted = promotionsOf("1.5.0");
    expect(promoted).toHaveLength(1);
    expect(promoted[0]?.statuses.map((x) => x.state)).toEqual(["success"]);

    const third = await say("/promote production");
    expect(third.at(-1)).toMatch(/^No canary is running on `production` \(`bankchurn-canary`, /);
    expect(third.at(-1)).toContain(`(deployment ${promoted[0]?.id ?? 0}, success)`);
    expect(promotionsOf("1.5.0")).toHaveLength(1);
  });

  it("P: the record's status refused (500 past the retries): said, the record kept without a status; the re-run sets it once; /abort then says no canary runs and what was last done", async () => {
    await canaryOf("1.6.0");
    e2e.sandbox.faults.add({ method: "POST", path: STATUSES, status: 500 });
    const refused = await say("/promote production", 2);
    expect(refused.at(-1)).toContain("✅ Promotion of **1.6.0** on `production` done");
    expect(refused.at(-1)).toContain(
      "⚠️ GitHub refused the promotion's Deployment record (GitHub answered 500)",
    );
    expect(promotionsOf("1.6.0")).toHaveLength(1);
    expect(promotionsOf("1.6.0")[0]?.statuses).toEqual([]);
    expect(await locked()).toBe(false);

    e2e.sandbox.faults.clear();
    const again = await say("/promote production");
    const id = promotionsOf("1.6.0")[0]?.id ?? 0;
    expect(again.at(-1)).toBe(
      `✅ The promotion of **1.6.0** on \`production\` was already made in the cluster; I set the \`success\` status GitHub refused earlier on deployment ${id}.`,
    );
    expect(promotionsOf("1.6.0")).toHaveLength(1);
    expect(promotionsOf("1.6.0")[0]?.statuses.map((x) => x.state)).toEqual(["success"]);

    const aborted = await say("/abort production");
    expect(aborted.at(-1)).toBe(
      `No canary is running on \`production\` (\`bankchurn-canary\`, \`carvision-canary\`, \`telecom-canary\` at 0 replicas): nothing to abort. The last change recorded on \`production\`: \`deploy\` of \`1.6.0\` (deployment ${id}, success) by \`maintainer\` at ${aborted.at(-1)?.match(/at (`[^`]+`)\.$/)?.[1] ?? "?"}.`,
    );
    expect(aborted.at(-1)).not.toContain("unknown");
  });
});

describe("the canary commands take the lock with the stale check", () => {
  const locks = () => new GitHubRefLocks(e2e.admin as unknown as Octokit, repoRef);
  const plant = (since: Date, reason: string) =>
    locks().acquire({
      env: "production",
      holder: "developer",
      reason,
      since: since.toISOString(),
      kind: "deploy",
    });

  it("a stale deploy lock (its holder's time long run out) is cleared by /canary, and the reply says so", async () => {
    expect(await plant(new Date(Date.now() - 3 * 3600_000), "canary 1.2.0")).toEqual({ kind: "acquired" });
    const replies = await say("/canary production 1.7.0", 2);
    expect(replies[0]).toMatch(
      /^🧹 Cleared a stale lock on `production` \(held by @developer since `[^`]+`: `canary 1\.2\.0`\): [^\n]+\.\n\n🐤 Canary of \*\*1\.7\.0\*\* on `production` started/,
    );
    expect(replies.at(-1)).toContain("✅ Canary of **1.7.0** on `production` done");
    expect(image("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.7.0");
    expect(await locked()).toBe(false);
  });

  it("a live deploy lock (just taken, nothing concluded since) refuses /promote and /abort as before, and is kept", async () => {
    expect(await plant(new Date(), "deploying 1.7.0")).toEqual({ kind: "acquired" });
    for (const command of ["/promote production", "/abort production"]) {
      const refused = await say(command);
      expect(refused).toEqual([
        expect.stringMatching(
          /^`production` is locked by @developer since `[^`]+` \(a deploy is running\): `deploying 1\.7\.0`\. Try again when it finishes\.$/,
        ),
      ]);
    }
    expect((await locks().get("production"))?.holder).toBe("developer");
    expect(replicas("bankchurn-canary")).toBe(1);
    await locks().release("production");
    const aborted = await say("/abort production", 2);
    expect(aborted.at(-1)).toMatch(/^✅ Canary abort of \*\*1\.7\.0\*\* on `production` done:/);
    expect(replicas("bankchurn-canary")).toBe(0);
  });
});
