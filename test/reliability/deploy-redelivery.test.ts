import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { endState } from "./support/end-state.js";

jest.setTimeout(180_000);

/** `/deploy` and `/rollback`, each delivered three times: one deployment, one rollout, one report. */
describe("deploy and rollback comments delivered three times", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const image = (name: string) =>
    e2e.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";
  const idle = () => e2e.settle({ timeoutMs: 60_000 });

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const thrice = async (body: string, expected: string) => {
    const { sandbox, repo, admin } = e2e;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: body });
    await idle();
    const first = sandbox.deliveries.length;
    sandbox.comment(repo, issue, "maintainer", body);
    await idle();
    const once = await endState(sandbox, admin, repo);
    const clusterWrites = () => (e2e.cluster?.requests ?? []).filter((r) => r.method !== "GET").length;
    const patches = clusterWrites();
    const caused = sandbox.deliveries.slice(first);
    for (let round = 0; round < 2; round++) {
      for (const d of caused) sandbox.redeliver(d.id);
      await idle();
    }
    expect(await endState(sandbox, admin, repo)).toEqual(once);
    // No second rollout: the cluster saw no further change (reads and watches aside).
    expect(clusterWrites()).toBe(patches);
    const replies = sandbox.issue(repo, issue).comments.filter((c) => c.user.type === "Bot");
    expect(replies.at(-1)?.body).toContain(expected);
    return once;
  };

  it("/deploy staging 1.2.0: one GitHub deployment, one rollout, one report", async () => {
    const state = await thrice("/deploy staging 1.2.0", "succeeded");
    expect(state.deployments).toBe(1);
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.2\.0$/);
  });

  it("/rollback staging 1.1.0: one rollback deployment, the old images, one report", async () => {
    const state = await thrice("/rollback staging 1.1.0", "rolled back");
    expect(state.deployments).toBe(2);
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.1\.0$/);
  });
});
