import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { endState } from "./support/end-state.js";
import { answered, type Reliability, startReliability, waitFor } from "./support/harness.js";

const botComments = (r: Reliability, issue: number) =>
  r.sandbox.issue(r.repo, issue).comments.filter((c) => c.user.login === `${r.sandbox.appSlug}[bot]`);

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

/** Exactly one release came out of the race: one branch, one PR, one "cut" reply. */
const expectOneRelease = async (r: Reliability, issues: number[]) => {
  const state = await endState(r.sandbox, r.admin, r.repo);
  expect(Object.keys(state.branches).filter((b) => b.startsWith("release/"))).toEqual(["release/v1.2.0"]);
  expect(state.pulls.filter((p) => p.head.startsWith("release/"))).toHaveLength(1);
  const replies = issues.flatMap((n) => state.threads[n]?.comments ?? []);
  expect(replies.filter((c) => c.includes("Release **v1.2.0** is cut"))).toHaveLength(1);
  const commits = await r.sandbox.commits(r.repo, "release/v1.2.0");
  expect(commits.filter((c) => c.message.startsWith("chore(release)"))).toHaveLength(1);
  expect(r.sandbox.violations).toEqual([]);
  return replies;
};

describe("races", () => {
  let r: Reliability | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it("ten /release comments at once cut one release; every comment gets an answer", async () => {
    r = await startReliability();
    const { sandbox, repo } = r;
    const issues: number[] = [];
    for (let i = 0; i < 10; i++)
      issues.push(await sandbox.openIssue(repo, "maintainer", { title: `Release ${i}` }));
    await sandbox.settled({ timeoutMs: 60_000 });
    const ids = issues.map((issue) => sandbox.comment(repo, issue, "maintainer", "/release 1.2.0"));
    await waitFor(
      sandbox,
      () => issues.every((issue, i) => answered(sandbox, repo, issue, ids[i]!)()),
      120_000,
    );
    const replies = await expectOneRelease(r, issues);
    // The others are told where the release is, rather than left without a word.
    for (const issue of issues) expect(botComments(r, issue)).toHaveLength(1);
    expect(replies.filter((c) => c.includes("already in progress"))).toHaveLength(9);
  }, 120_000);

  it("two app instances on the same sandbox, each receiving every delivery, cut one release", async () => {
    r = await startReliability({ instances: 2 });
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    await sandbox.settled({ timeoutMs: 60_000 });
    const id = sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await waitFor(sandbox, answered(sandbox, repo, issue, id));
    await expectOneRelease(r, [issue]);
    // One instance took the comment (its 👀 is the claim); the other saw it taken and stayed quiet.
    expect(botComments(r, issue)).toHaveLength(1);
  }, 120_000);

  it("two app instances and ten /release comments at once still cut one release", async () => {
    r = await startReliability({ instances: 2 });
    const { sandbox, repo } = r;
    const issues: number[] = [];
    for (let i = 0; i < 10; i++)
      issues.push(await sandbox.openIssue(repo, "developer", { title: `Release ${i}` }));
    await sandbox.settled({ timeoutMs: 60_000 });
    const ids = issues.map((issue) => sandbox.comment(repo, issue, "developer", "/release 1.2.0"));
    await waitFor(
      sandbox,
      () => issues.every((issue, i) => answered(sandbox, repo, issue, ids[i]!)()),
      120_000,
    );
    await expectOneRelease(r, issues);
    for (const issue of issues) expect(botComments(r, issue)).toHaveLength(1);
  }, 120_000);
});
