import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { countContentWrites, WRITE_TARGETS } from "../../bench/writes.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

// Each step goes through the sandbox's real git and signed webhooks; on a loaded machine that
// takes longer than the default 30 s (no assertion depends on speed).
jest.setTimeout(180_000);

/**
 * Content-creating requests (POST/PATCH/PUT/DELETE less the installation token and GraphQL reads,
 * bench/writes.ts) of `/deploy staging` and `/rollback staging`, the whole flow: comment,
 * background rollout, and the webhooks it causes. GitHub's secondary rate limit allows about 80
 * such requests a minute
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
 */
describe("writes per deploy command, through the real app, the sandbox GitHub and the fake cluster", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };

  /** Comment, wait for the whole flow, and return the reply and the app's content-creating requests. */
  const run = async (body: string) => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: body });
    await e2e.sandbox.settled();
    e2e.sandbox.resetRequests();
    e2e.sandbox.comment(e2e.repo, issue, "maintainer", body);
    await e2e.settle({ timeoutMs: 60_000 });
    const writes = e2e.sandbox.requests
      .filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/"))
      .filter((r) => countContentWrites([r]) === 1);
    return {
      replies: e2e.repliesTo(issue, "maintainer"),
      count: countContentWrites(
        e2e.sandbox.requests.filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/")),
      ),
      operations: writes.map((r) => r.operationId ?? r.path).sort(),
    };
  };
  const lockRef = () => e2e.sandbox.getRef(e2e.repo, "refs/release-pilot/locks/staging");

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    for (const v of ["1.2.0", "1.2.1"])
      await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${v}`, sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it(`/deploy makes at most ${WRITE_TARGETS.deploy}: reaction, lock ref and its delete, Deployment, in_progress and success, two replies`, async () => {
    const deploy = await run("/deploy staging 1.2.0");
    expect(deploy.replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(deploy.operations).toEqual(
      [
        "reactions/create-for-issue-comment",
        "git/create-ref", // the lock: one ref onto the deployed commit
        "repos/create-deployment",
        "repos/create-deployment-status", // in_progress
        "issues/create-comment", // "Deploying …"
        "repos/create-deployment-status", // success
        "issues/create-comment", // "✅ … succeeded"
        "git/delete-ref", // the lock given back
      ].sort(),
    );
    expect(deploy.count).toBeLessThanOrEqual(WRITE_TARGETS.deploy);
    expect(await lockRef()).toBeUndefined();
  });

  it(`/rollback makes at most ${WRITE_TARGETS.rollback}: reaction, lock ref and its delete, Deployment, its outcome, two replies`, async () => {
    expect((await run("/deploy staging 1.2.1")).replies.at(-1)).toContain("succeeded");
    const rollback = await run("/rollback staging 1.2.0");
    expect(rollback.replies.at(-1)).toContain("`staging` rolled back to **1.2.0**");
    expect(rollback.operations).toEqual(
      [
        "reactions/create-for-issue-comment",
        "git/create-ref",
        "repos/create-deployment",
        "issues/create-comment",
        "repos/create-deployment-status", // success, from pending
        "issues/create-comment",
        "git/delete-ref",
      ].sort(),
    );
    expect(rollback.count).toBeLessThanOrEqual(WRITE_TARGETS.rollback);
    // The record that took the lock says who held it, why and since when.
    const [newest] = (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "staging" }))
      .data;
    expect(newest?.payload).toMatchObject({
      action: "rollback",
      lock: { holder: "maintainer", reason: "rolling back to 1.2.0" },
      watch: { holder: expect.any(String) },
    });
    expect(await lockRef()).toBeUndefined();
  });
});
