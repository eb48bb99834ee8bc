import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { until } from "../../sandbox/harness/app-process.js";
import { endState } from "./support/end-state.js";
import { type ProcessStage, startProcessStage } from "./support/process-stage.js";

/**
 * `/release` with the app process SIGKILLed after the release branch was made and before the PR
 * was opened (the PR request held by the sandbox, then its connection cut, so GitHub never saw it),
 * then started again: the next `/release` finishes the run exactly once.
 */
jest.setTimeout(120_000);

const R = "/repos/duqueom/ml-mlops-portfolio";

let s: ProcessStage;
beforeAll(async () => {
  s = await startProcessStage();
});
afterAll(async () => {
  await s?.close();
});

const releaseBranches = async () =>
  Object.keys((await endState(s.sandbox, s.admin, s.repo)).branches).filter((b) => b.startsWith("release/"));

describe("the app killed in the middle of /release", () => {
  it("after the branch and before the PR: the next /release opens the PR, labels it and replies once, with no second branch or commit", async () => {
    const first = await s.start("pod-a");
    s.sandbox.faults.add({ method: "POST", path: `${R}/pulls`, latencyMs: 5_000, drop: true, times: 1 });
    const issue = await s.sandbox.openIssue(s.repo, "maintainer", { title: "Release 1.2.0" });
    s.sandbox.comment(s.repo, issue, "maintainer", "/release 1.2.0");
    await until("the release branch made", async () => (await releaseBranches()).length > 0);
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    // Half done: the branch and its commit, no PR, no answer.
    expect(await releaseBranches()).toEqual(["release/v1.2.0"]);
    expect(s.sandbox.pulls(s.repo)).toHaveLength(0);
    expect(s.botReplies(issue)).toEqual([]);

    await s.start("pod-a");
    s.sandbox.comment(s.repo, issue, "maintainer", "/release 1.2.0");
    await until("the re-run's answer", () => s.botReplies(issue).length > 0, 60_000);
    await s.sandbox.settled({ timeoutMs: 60_000 });

    const replies = s.botReplies(issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("Release **v1.2.0** is cut");
    const state = await endState(s.sandbox, s.admin, s.repo);
    expect(await releaseBranches()).toEqual(["release/v1.2.0"]);
    const pulls = state.pulls.filter((p) => p.head === "release/v1.2.0");
    expect(pulls).toEqual([
      { number: expect.any(Number), head: "release/v1.2.0", base: "main", state: "open" },
    ]);
    expect(state.threads[pulls[0]!.number]?.labels).toEqual(["release"]);
    const commits = await s.sandbox.commits(s.repo, "release/v1.2.0");
    expect(commits.filter((c) => c.message.startsWith("chore(release)"))).toHaveLength(1);
    expect(s.sandbox.violations).toEqual([]);

    // One more /release after the end: the result again, nothing written.
    const again = await s.sandbox.openIssue(s.repo, "maintainer", { title: "again" });
    s.sandbox.comment(s.repo, again, "maintainer", "/release 1.2.0");
    await until("the answer", () => s.botReplies(again).length > 0, 60_000);
    await s.sandbox.settled({ timeoutMs: 60_000 });
    expect(s.botReplies(again)).toEqual([
      expect.stringMatching(/^Release \*\*v1\.2\.0\*\* is already in progress, cut by an earlier run: /),
    ]);
    const after = await endState(s.sandbox, s.admin, s.repo);
    expect(after.branches).toEqual(state.branches);
    expect(after.pulls).toEqual(state.pulls);
    expect(after.threads[pulls[0]!.number]).toEqual(state.threads[pulls[0]!.number]);
  });
});
