import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

/** Generous: the machine running the suite may be busy; nothing here is timed. */
const SETTLE = { timeoutMs: 60_000 };

const OWNER = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const TELECOM_API = "TelecomAI-Customer-Intelligence/src/telecom/api.py";

/** The hotfix process from the seeded v1.1.0: idempotent branch, back-merge conflicts, tag conflicts. */
describe("hotfix process through the real app and the sandbox GitHub", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-16T08:00:00Z") } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const openHotfix = async (title: string, files: Record<string, string>) => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "developer", { title });
    await sandbox.label(repo, issue, "maintainer", "hotfix");
    await sandbox.settled(SETTLE);
    const branch = sandbox
      .issue(repo, issue)
      .comments.at(-1)
      ?.body.match(/`(hotfix\/[^`]+)`/)?.[1];
    expect(branch).toBeDefined();
    await sandbox.pushCommit(repo, "developer", branch!, `fix: ${title.toLowerCase()}`, files);
    const pull = await sandbox.openPullRequest(repo, "developer", {
      head: branch!,
      base: "main",
      title: `fix: ${title.toLowerCase()}`,
    });
    await sandbox.settled(SETTLE);
    return { issue, branch: branch!, pull };
  };

  it("creates the hotfix branch once, however often the label event comes", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "developer", { title: "Login page 500s" });
    await sandbox.label(repo, issue, "maintainer", "hotfix");
    await sandbox.settled(SETTLE);
    const labeled = sandbox.deliveries.find(
      (d) =>
        d.event === "issues" &&
        d.action === "labeled" &&
        (d.payload.issue as { number: number }).number === issue,
    );
    sandbox.redeliver(labeled!.id);
    await sandbox.settled(SETTLE);
    const branch = `hotfix/${issue}-login-page-500s`;
    expect(await sandbox.getRef(repo, `heads/${branch}`)).toBe(
      (await sandbox.getTag(repo, "v1.1.0"))?.commit,
    );
    const comments = sandbox.issue(repo, issue).comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("from `v1.1.0`");
    expect(comments[0]?.body).toContain("**1.1.1**");
    const other = await sandbox.openIssue(repo, "developer", { title: "Not urgent" });
    await sandbox.label(repo, other, "maintainer", "bug");
    await sandbox.settled(SETTLE);
    expect(sandbox.issue(repo, other).comments).toHaveLength(0);
    expect(sandbox.violations).toEqual([]);
  });

  it("bumps the PR once and, merged, opens a back-merge PR naming the conflicting files", async () => {
    const { sandbox, repo } = e2e;
    const telecom = (await sandbox.getFile(repo, "main", TELECOM_API)) ?? "";
    const { issue, branch, pull } = await openHotfix("Telecom timeout", {
      [TELECOM_API]: `${telecom}\n\nTIMEOUT_SECONDS = 30\n`,
    });
    const opened = sandbox.deliveries.find(
      (d) =>
        d.event === "pull_request" &&
        d.action === "opened" &&
        (d.payload.pull_request as { number: number }).number === pull,
    );
    sandbox.redeliver(opened!.id);
    await sandbox.settled(SETTLE);
    const commits = await sandbox.commits(repo, branch);
    expect(commits.filter((c) => c.message.startsWith("chore(hotfix)")).map((c) => c.message)).toEqual([
      "chore(hotfix): 1.1.1",
    ]);

    const developBefore = await sandbox.getRef(repo, "heads/develop");
    const merged = await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
    expect((await sandbox.getTag(repo, "v1.1.1"))?.commit).toBe(merged);
    expect(sandbox.releases(repo).map((r) => [r.tagName, r.draft])).toEqual([["v1.1.1", true]]);
    // develop changed the same file since 1.1.0: no direct merge, a PR main → develop instead.
    expect(await sandbox.getRef(repo, "heads/develop")).toBe(developBefore);
    const backMerges = sandbox
      .pulls(repo)
      .filter((p) => p.pull?.head === "main" && p.pull.base === "develop");
    expect(backMerges).toHaveLength(1);
    expect(backMerges[0]?.title).toBe("Back-merge v1.1.1 into develop");
    expect(backMerges[0]?.body).toContain(`- \`${TELECOM_API}\``);
    expect(backMerges[0]?.body).not.toContain("pyproject.toml");
    const shipped = sandbox.issue(repo, pull).comments.at(-1)?.body ?? "";
    // The sample repository carries the guide's image workflow, so the hotfix's images are built.
    const run = sandbox.workflowRuns(repo).find((r) => r.headBranch === "v1.1.1");
    expect(run).toMatchObject({ event: "workflow_dispatch", inputs: { version: "1.1.1" } });
    expect(shipped).toContain(
      `Images: [publishing run](https://github.com/duqueom/ml-mlops-portfolio/actions/runs/${run!.id})`,
    );
    expect(shipped).toContain(
      `Back-merge PR: https://github.com/duqueom/ml-mlops-portfolio/pull/${backMerges[0]!.number}`,
    );
    expect(sandbox.issue(repo, issue).state).toBe("closed");

    const closed = sandbox.deliveries.find(
      (d) =>
        d.event === "pull_request" &&
        d.action === "closed" &&
        (d.payload.pull_request as { number: number }).number === pull,
    );
    sandbox.redeliver(closed!.id);
    await sandbox.settled(SETTLE);
    expect(
      sandbox.pulls(repo).filter((p) => p.pull?.head === "main" && p.pull.base === "develop"),
    ).toHaveLength(1);
    expect(sandbox.releases(repo)).toHaveLength(1);
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });

  it("never moves a tag that already exists on another commit: the PR is told, nothing ships", async () => {
    const { sandbox, repo, admin } = e2e;
    const { pull } = await openHotfix("Cache poisoning", { "SECURITY.md": "Report issues privately.\n" });
    const develop = (await sandbox.getRef(repo, "heads/develop"))!;
    await admin.rest.git.createRef({ ...OWNER, ref: "refs/tags/v1.1.2", sha: develop });
    await sandbox.mergePullRequest(repo, pull, "maintainer");
    await sandbox.settled(SETTLE);
    expect((await sandbox.getTag(repo, "v1.1.2"))?.commit).toBe(develop);
    expect(sandbox.releases(repo).map((r) => r.tagName)).toEqual(["v1.1.1"]);
    const reply = sandbox.issue(repo, pull).comments.at(-1)?.body ?? "";
    expect(reply).toContain("The tag `v1.1.2` already exists on commit");
    expect(reply).toContain("I never move a tag");
    expect(sandbox.violations).toEqual([]);
  });
});
