import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { FaultRule } from "../../sandbox/kubernetes/index.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

// Whole flows through the real app, the sandbox GitHub and the fake cluster: generous timeouts,
// as the suite shares two cores (no assertion depends on speed).
jest.setTimeout(180_000);

/**
 * Faults on the cluster's watch during `/deploy`: the rollout's verdict comes from the Deployment
 * (its conditions) or the environment's timeout, never from a broken watch. The API server's watch
 * contract these faults play: a watch may end or break at any time and is resumed from the last
 * resourceVersion, and a 410 Gone means re-list
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses).
 */
describe("cluster faults on the rollout watch during /deploy", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const WATCH = /\/namespaces\/ml-staging\/deployments\?.*watch=true/;
  const services = ["bankchurn", "carvision", "telecom"];

  /**
   * Comment `/deploy`, hold the cluster's controller until the app is watching (so the watch, and
   * its faults, are met every time), then let the rollouts run and wait for the end.
   */
  const deploy = async (version: string, watches = true): Promise<{ issue: number; replies: string[] }> => {
    const watching = watchRequests().length;
    const patches = e2e.cluster?.requests.filter((r) => r.method === "PATCH").length ?? 0;
    e2e.cluster?.stopTicking();
    const issue = await e2e.sandbox.openIssue(e2e.repo, "developer", { title: `deploy ${version}` });
    e2e.sandbox.comment(e2e.repo, issue, "developer", `/deploy staging ${version}`);
    const started = Date.now();
    const patched = () => (e2e.cluster?.requests.filter((r) => r.method === "PATCH").length ?? 0) > patches;
    while (watches && !(patched() && watchRequests().length > watching) && Date.now() - started < 30_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    e2e.cluster?.startTicking(10);
    await e2e.settle();
    return { issue, replies: e2e.repliesTo(issue, "developer") };
  };
  const image = (name: string) =>
    e2e.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image;
  const records = async () =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "staging" })).data;
  const states = async (id: number) =>
    (await e2e.admin.rest.repos.listDeploymentStatuses({ ...repoRef, deployment_id: id })).data
      .map((s) => s.state)
      .reverse();
  const postMortems = async () =>
    (await e2e.admin.rest.issues.listForRepo({ ...repoRef, labels: "post-mortem", state: "all" })).data;
  const unlocked = () =>
    expect(
      e2e.admin.rest.git.getRef({ ...repoRef, ref: "release-pilot/locks/staging" }),
    ).rejects.toMatchObject({ status: 404 });
  const watchRequests = () =>
    e2e.cluster?.requests.filter((r) => r.query.watch === "true" && r.path.includes("/ml-staging/")) ?? [];

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
  });
  afterEach(() => e2e.cluster?.faults.clear());
  afterAll(async () => {
    await e2e?.close();
  });

  const transient: [string, FaultRule][] = [
    ["a 504 on each service's watch", { method: "GET", path: WATCH, status: 504, times: 3 }],
    ["a 410 Gone ERROR event in each watch", { method: "GET", path: WATCH, watchError: 410, times: 3 }],
    ["each watch's connection dropped", { method: "GET", path: WATCH, drop: true, latencyMs: 20, times: 3 }],
    ["a 500 ERROR event in each watch", { method: "GET", path: WATCH, watchError: 500, times: 3 }],
  ];

  it.each(transient.map(([name, rule], i) => [name, rule, `1.2.${i}`] as const))(
    "%s: the healthy deploy succeeds, nothing is rolled back",
    async (_name, rule, version) => {
      const mortems = (await postMortems()).length;
      e2e.cluster?.faults.add(rule);
      const { replies } = await deploy(version);
      // Every injected fault was met by a watch.
      expect(e2e.cluster?.faults.unused()).toBe(0);
      expect(replies.at(-1)).toContain(`✅ Deploy of **${version}** to \`staging\` succeeded`);
      expect(replies.join("\n")).not.toMatch(/did not finish|stopped|Rolled back|failed/);
      for (const name of services) expect(image(name)).toBe(`ghcr.io/duqueom/${name}-api:${version}`);
      const [record] = await records();
      expect(record).toMatchObject({ task: "deploy", ref: "main" });
      expect(await states(record?.id ?? 0)).toEqual(["in_progress", "success"]);
      expect((await records()).filter((d) => d.task !== "deploy")).toEqual([]);
      expect((await postMortems()).length).toBe(mortems);
      await unlocked();
    },
  );

  it("a 403 on the watch: a permission error, images left set, no rollback; a re-run concludes", async () => {
    e2e.cluster?.faults.add({ method: "GET", path: WATCH, status: 403 });
    const mortems = (await postMortems()).length;
    const { replies } = await deploy("1.4.0");
    const final = replies.at(-1) ?? "";
    expect(final).toContain("⚠️ Deploy of **1.4.0** to `staging`: the images were set");
    expect(final).toContain("Kubernetes refused release-pilot permission to follow the rollout");
    expect(final).toContain("Nothing was rolled back");
    expect(final).toMatch(/`bankchurn`: rollout of "bankchurn" not observed: Kubernetes answered 403/);
    expect(final).not.toMatch(/failed|stopped/);
    for (const name of services) expect(image(name)).toBe(`ghcr.io/duqueom/${name}-api:1.4.0`);
    const [record] = await records();
    expect(await states(record?.id ?? 0)).toEqual(["in_progress", "error"]);
    expect((await records()).filter((d) => d.task !== "deploy")).toEqual([]);
    expect((await postMortems()).length).toBe(mortems);
    await unlocked();

    // Permission granted again: the same command concludes, patching nothing twice.
    e2e.cluster?.faults.clear();
    const patches = e2e.cluster?.requests.filter((r) => r.method === "PATCH").length ?? 0;
    const again = await deploy("1.4.0", false);
    expect(again.replies.at(-1)).toContain("✅ Deploy of **1.4.0** to `staging` succeeded");
    expect(again.replies.at(-1)).toContain("Every service already ran this version; nothing was patched.");
    expect(e2e.cluster?.requests.filter((r) => r.method === "PATCH").length).toBe(patches);
    await unlocked();
  });
});
