import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

jest.setTimeout(180_000);

/** The approvals gate through the real app: reviews on the merged release PR decide a deploy. */
describe("gates.approvals through the real app and the sandbox GitHub", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  let pull = 0;

  const say = async (user: string, body: string): Promise<string[]> => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: body });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    await e2e.settle({ timeoutMs: 60_000 });
    return e2e.repliesTo(issue, user);
  };
  const deployments = async () =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "staging" })).data;

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const config = (await e2e.sandbox.getFile(e2e.repo, "main", ".github/release-pilot.yml")) ?? "";
    await e2e.sandbox.pushCommit(e2e.repo, "admin", "main", "ci: staging needs one approval", {
      ".github/release-pilot.yml": config.replace(
        "    timeoutSeconds: 120\n",
        "    timeoutSeconds: 120\n    gates: { approvals: 1 }\n",
      ),
    });
    await e2e.sandbox.pushCommit(e2e.repo, "developer", "release/v1.2.0", "chore: release 1.2.0", {
      "RELEASE-NOTES.md": "1.2.0\n",
    });
    pull = await e2e.sandbox.openPullRequest(e2e.repo, "developer", {
      head: "release/v1.2.0",
      base: "main",
      title: "Release 1.2.0",
    });
    await e2e.sandbox.review(e2e.repo, pull, "reader", "APPROVE");
    await e2e.sandbox.review(e2e.repo, pull, "maintainer", "APPROVE");
    await e2e.sandbox.review(e2e.repo, pull, "maintainer", "REQUEST_CHANGES");
    await e2e.sandbox.mergePullRequest(e2e.repo, pull, "admin");
    await e2e.sandbox.settled({ timeoutMs: 60_000 });
    await e2e.jobs.idle();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("refuses a version whose release PR lacks approvals from people with write access, before locking or recording", async () => {
    e2e.sandbox.resetRequests();
    const replies = await say("developer", "/deploy staging 1.2.0");
    const reply = replies.at(-1) ?? "";
    expect(reply).toContain(
      "`staging` needs **1** approving review on the pull request that shipped **1.2.0**",
    );
    expect(reply).toContain(`/pull/${pull}) has **0**`);
    expect(reply).toContain("Not counted (no write access): @reader");
    expect(await deployments()).toEqual([]);
    const calls = e2e.sandbox.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`);
    expect(calls.filter((c) => c.includes("/git/refs"))).toEqual([]);
    expect(calls.filter((c) => /GET .*\/pulls$/.test(c))).toHaveLength(1);
    expect(calls.filter((c) => c.endsWith(`/pulls/${pull}/reviews`))).toHaveLength(1);
  });

  it("deploys once a person with write access approves", async () => {
    await e2e.sandbox.review(e2e.repo, pull, "maintainer", "APPROVE");
    const replies = await say("developer", "/deploy staging 1.2.0");
    expect(replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect((await deployments()).map((d) => d.payload)).toMatchObject([{ version: "1.2.0" }]);
  });

  it("refuses a version no pull request shipped", async () => {
    const replies = await say("developer", "/deploy staging 1.4.0");
    expect(replies.at(-1)).toContain("found none: no merged `release/v1.4.0` → `main` PR");
    expect(e2e.sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
