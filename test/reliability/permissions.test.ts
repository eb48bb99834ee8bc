import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { endState } from "./support/end-state.js";
import { answered, appCalls, type Reliability, startReliability, waitFor } from "./support/harness.js";
import { postWebhook } from "./support/signed-post.js";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

describe("who may not release, deploy, lock or roll back", () => {
  let r: Reliability;
  let pull = 0;
  beforeAll(async () => {
    r = await startReliability();
    const { sandbox, repo } = r;
    sandbox.setPermission(repo, "triager", "triage");
    sandbox.setPermission(repo, "outsider", "none");
    // A contribution by someone with no access to the repository, as from a fork.
    await sandbox.pushCommit(repo, "maintainer", "outsider-patch", "docs: typo", {
      "docs/typo.md": "typo\n",
    });
    pull = await sandbox.openPullRequest(repo, "outsider", {
      head: "outsider-patch",
      base: "develop",
      title: "docs: typo",
    });
    await sandbox.settled({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await r?.close();
  });

  const cases: [user: string, has: string, command: string, needs: string][] = [
    ["reader", "read", "/release 2.0.0", "write"],
    ["reader", "read", "/deploy staging", "write"],
    ["reader", "read", "/rollback staging", "write"],
    ["reader", "read", "/lock staging deploy freeze", "write"],
    ["triager", "triage", "/release minor", "write"],
    ["triager", "triage", "/deploy staging 1.1.0", "write"],
    ["triager", "triage", "/rollback staging", "write"],
    ["triager", "triage", "/lock staging", "write"],
    ["outsider", "none", "/release", "write"],
    ["outsider", "none", "/deploy staging", "write"],
    ["outsider", "none", "/rollback staging", "write"],
    ["outsider", "none", "/lock staging", "write"],
  ];

  it.each(cases)(
    "%s (%s) writing `%s` is refused, told what is needed, and nothing changes",
    async (user, has, command, needs) => {
      const { sandbox, repo, admin } = r;
      const before = await endState(sandbox, admin, repo);
      const where =
        user === "outsider" ? pull : await sandbox.openIssue(repo, "maintainer", { title: command });
      await sandbox.settled({ timeoutMs: 60_000 });
      sandbox.resetRequests();
      sandbox.comment(repo, where, user, command);
      await sandbox.settled({ timeoutMs: 60_000 });
      const name = command.split(" ")[0]!;
      const env = command.split(" ")[1];
      const on = name === "/release" || !env ? "" : ` on \`${env}\``;
      const replies = sandbox.issue(repo, where).comments.filter((c) => c.user.type === "Bot");
      expect(replies.at(-1)?.body).toBe(
        `@${user}, \`${name}\`${on} needs the **${needs}** permission on this repository; you have **${has}**.`,
      );
      const after = await endState(sandbox, admin, repo);
      expect(after.branches).toEqual(before.branches);
      expect(after.tags).toEqual(before.tags);
      expect(after.pulls).toEqual(before.pulls);
      expect(after.deployments).toBe(before.deployments);
      // The only writes: the 👀 claim, the reply and the 😕 reaction.
      const writes = appCalls(sandbox)
        .filter((c) => WRITES.has(c.method) && !c.path.endsWith("/access_tokens"))
        .map((c) => c.operationId);
      expect(writes.sort()).toEqual(
        [
          "issues/create-comment",
          "reactions/create-for-issue-comment",
          "reactions/create-for-issue-comment",
        ].sort(),
      );
    },
  );

  it("another bot's command is ignored without a single API call or reply", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "bot" });
    sandbox.comment(repo, issue, "maintainer", "not a command");
    await sandbox.settled({ timeoutMs: 60_000 });
    const human = sandbox.deliveries.filter((d) => d.event === "issue_comment").at(-1)!;
    const payload = structuredClone(human.payload) as Record<string, Record<string, unknown>>;
    const bot = { ...(payload.sender as object), login: "dependabot[bot]", id: 49699333, type: "Bot" };
    payload.sender = bot;
    payload.comment = { ...payload.comment, body: "/release 2.0.0", user: bot };
    sandbox.resetRequests();
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", JSON.stringify(payload));
    expect(status).toBe(200);
    await sandbox.settled({ timeoutMs: 60_000 });
    expect(appCalls(sandbox)).toEqual([]);
    expect(sandbox.issue(repo, issue).comments.filter((c) => c.user.type === "Bot")).toEqual([]);
  });

  it("a write user's `/release` in the same repository does go through (the refusals were about permission)", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "developer", { title: "Release 1.2.0" });
    const id = sandbox.comment(repo, issue, "developer", "/release 1.2.0");
    await waitFor(sandbox, answered(sandbox, repo, issue, id));
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toContain("Release **v1.2.0** is cut");
  });
});
