// Deliveries as GitHub may make them: concurrently and in no particular order ("GitHub does not
// guarantee the order of webhook deliveries", and redeliveries repeat a delivery:
// https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks). The
// sandbox sends each burst shuffled by a seed, all at once.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { endState } from "./support/end-state.js";

jest.setTimeout(240_000);

describe("a /deploy comment and its redeliveries, sent at once in a shuffled order", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const image = (name: string) =>
    e2e.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";

  // Concurrent handlers on a loaded machine can leave gaps longer than settle's 50 ms between
  // two API calls: wait for 1.5 s of quiet, and for the background jobs.
  const quiet = async () => {
    await e2e.sandbox.settled({ quietMs: 1500, timeoutMs: 120_000 });
    await e2e.jobs.idle();
    await e2e.sandbox.settled({ quietMs: 1500, timeoutMs: 120_000 });
  };

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  for (const seed of [1, 7]) {
    it(`deploys once (seed ${seed})`, async () => {
      const { sandbox, repo, admin } = e2e;
      const issue = await sandbox.openIssue(repo, "maintainer", { title: `Deploy ${seed}` });
      await quiet();
      const before = (await endState(sandbox, admin, repo)).deployments;
      sandbox.webhooks.setOrder({ order: "shuffled", seed, holdMs: 50 });
      try {
        const version = seed === 1 ? "1.2.0" : "1.1.0";
        sandbox.comment(repo, issue, "maintainer", `/deploy staging ${version}`);
        const comment = sandbox.deliveries.at(-1);
        if (!comment) throw new Error("no delivery for the comment");
        sandbox.redeliver(comment.id);
        sandbox.redeliver(comment.id);
        // Until the deploy's report is posted (a rollout has quiet stretches), then quiet.
        const reported = () =>
          sandbox
            .issue(repo, issue)
            .comments.some((c) => c.user.type === "Bot" && /succeeded|failed/.test(c.body));
        for (let waited = 0; !reported() && waited < 180_000; waited += 500)
          await new Promise((r) => setTimeout(r, 500));
        await quiet();
        // The three went out in one burst, so the app had them at the same time.
        const burst = sandbox.webhooks.bursts.find((b) => b.includes(comment.id));
        expect(burst?.length).toBeGreaterThanOrEqual(3);
        const copies = sandbox.deliveries.filter(
          (d) => d.event === "issue_comment" && JSON.stringify(d.payload) === JSON.stringify(comment.payload),
        );
        expect(copies).toHaveLength(3);
        expect(copies.every((d) => d.status >= 200 && d.status < 300)).toBe(true);
        const after = await endState(sandbox, admin, repo);
        expect(after.deployments).toBe(before + 1);
        for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(`:${version}`);
        const reports = sandbox
          .issue(repo, issue)
          .comments.filter((c) => c.user.type === "Bot" && /succeeded/.test(c.body));
        expect(reports).toHaveLength(1);
        expect(sandbox.violations).toEqual([]);
      } finally {
        sandbox.webhooks.setOrder({ order: "serial" });
      }
    });
  }
});
