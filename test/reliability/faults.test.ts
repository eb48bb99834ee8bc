import { afterEach, describe, expect, it, jest } from "@jest/globals";
import type { FaultRule } from "../../sandbox/github/index.js";
import { endState } from "./support/end-state.js";
import { answered, appCalls, type Reliability, startReliability, waitFor } from "./support/harness.js";
import { RetryingOctokit } from "./support/retrying-octokit.js";

const R = "/repos/duqueom/ml-mlops-portfolio";

const botReplies = (r: Reliability, issue: number) =>
  r.sandbox
    .issue(r.repo, issue)
    .comments.filter((c) => c.user.login === `${r.sandbox.appSlug}[bot]`)
    .map((c) => c.body);

/** The reply was tried four times and refused each time: the handler has given up. */
const replyGaveUp = (r: Reliability) =>
  appCalls(r.sandbox).filter((c) => /\/issues\/\d+\/comments$/.test(c.path) && c.status >= 500).length >= 4;

/** One release/v1.2.0 branch, one PR for it, one release commit: nothing doubled by retries. */
const expectOneRelease = async (r: Reliability) => {
  const state = await endState(r.sandbox, r.admin, r.repo);
  expect(Object.keys(state.branches).filter((b) => b.startsWith("release/"))).toEqual(["release/v1.2.0"]);
  expect(state.pulls.filter((p) => p.head === "release/v1.2.0")).toHaveLength(1);
  const commits = await r.sandbox.commits(r.repo, "release/v1.2.0");
  expect(commits.filter((c) => c.message.startsWith("chore(release)"))).toHaveLength(1);
};

const release = async (r: Reliability, user = "maintainer") => {
  const issue = await r.sandbox.openIssue(r.repo, user, { title: "Release 1.2.0" });
  await r.sandbox.settled({ timeoutMs: 60_000 });
  r.sandbox.resetRequests();
  const id = r.sandbox.comment(r.repo, issue, user, "/release 1.2.0");
  await waitFor(r.sandbox, () => answered(r.sandbox, r.repo, issue, id)() || replyGaveUp(r));
  return issue;
};

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

/** The app's requests matching the fault's method and path, as the sandbox answered them. */
const matching = (r: Reliability, rule: FaultRule) =>
  appCalls(r.sandbox).filter(
    (c) =>
      c.method === (rule.method ?? c.method) &&
      (rule.path instanceof RegExp ? rule.path.test(c.path) : c.path === rule.path),
  );
const attempts = (r: Reliability, rule: FaultRule) => matching(r, rule).length;

describe("GitHub faults during /release, with the production retry and throttling plugins", () => {
  let r: Reliability | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  const transient: [string, FaultRule][] = [
    ["a 502 on the config read", { method: "GET", path: /\/contents\/\.github/, status: 502, times: 2 }],
    [
      "a 500 on the tags listing",
      { method: "GET", path: /\/git\/matching-refs\/tags/, status: 500, times: 1 },
    ],
    ["a 502 on the blob read", { method: "POST", path: /graphql$/, status: 502, times: 1 }],
    [
      "a 503 on creating the release commit",
      { method: "POST", path: `${R}/git/commits`, status: 503, times: 1 },
    ],
    ["a 429 on the compare", { method: "GET", path: /\/compare\//, status: 429, retryAfter: 0, times: 1 }],
    [
      "a dropped connection on the tree write",
      { method: "POST", path: `${R}/git/trees`, drop: true, times: 1 },
    ],
    [
      "a dropped connection on the permission read",
      { method: "GET", path: /\/permission$/, drop: true, times: 2 },
    ],
  ];

  it.each(transient)(
    "%s is retried with backoff and the release completes once",
    async (_name, rule) => {
      r = await startReliability({ Octokit: RetryingOctokit });
      r.sandbox.faults.add(rule);
      const issue = await release(r);
      // Each faulty answer was followed by another try, and the last try went through.
      const answers = matching(r, rule).map((c) => c.status);
      expect(answers.filter((s) => s >= 400 || s === 0)).toHaveLength(rule.times ?? 0);
      expect(answers.at(-1)).toBeLessThan(400);
      await expectOneRelease(r);
      const replies = botReplies(r, issue);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain("Release **v1.2.0** is cut");
    },
    180_000,
  );

  it("a 403 secondary rate limit on opening the PR: a clear failure reply, and a re-run completes without duplicates", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    r.sandbox.faults.add({ method: "POST", path: `${R}/pulls`, status: 403, retryAfter: 1, times: 1 });
    const first = await release(r);
    const failed = botReplies(r, first);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(
      /^`\/release` failed: GitHub answered 403\. The app's logs hold the details under delivery `[^`]+`\.$/,
    );
    expect(r.sandbox.pulls(r.repo)).toHaveLength(0);

    const again = await release(r);
    expect(botReplies(r, again)).toHaveLength(1);
    expect(botReplies(r, again)[0]).toContain("Release **v1.2.0** is cut");
    await expectOneRelease(r);
  }, 60_000);

  it("a 500 that outlasts the retries: a clear failure reply, and a re-run completes without duplicates", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    const rule: FaultRule = { method: "POST", path: `${R}/pulls`, status: 500, times: 4 };
    r.sandbox.faults.add(rule);
    const first = await release(r);
    // Octokit's retry plugin: the request and three retries.
    expect(attempts(r, rule)).toBe(4);
    expect(botReplies(r, first)).toEqual([
      expect.stringMatching(/^`\/release` failed: GitHub answered 500\./),
    ]);
    const again = await release(r);
    expect(botReplies(r, again)[0]).toContain("Release **v1.2.0** is cut");
    await expectOneRelease(r);
  }, 60_000);

  it("the reply itself failing: the re-run gives the lost result (branch and PR) once, and writes nothing", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    r.sandbox.faults.add({ method: "POST", path: /\/issues\/\d+\/comments$/, status: 502, times: 4 });
    const first = await release(r);
    // The work is done; only the answer was lost. The delivery was answered before its work
    // (src/composition/background-deliveries.ts), so the failure is told in the thread once
    // GitHub takes comments again, with the delivery id, instead of a 5xx nobody sees.
    await expectOneRelease(r);
    expect(botReplies(r, first)).toEqual([
      expect.stringMatching(
        /^release-pilot could not finish the work of this `issue_comment\.created` event\. /,
      ),
    ]);
    const pull = r.sandbox.pulls(r.repo)[0]!;
    const done = await endState(r.sandbox, r.admin, r.repo);
    const again = await release(r);
    const replies = botReplies(r, again);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Release \*\*v1\.2\.0\*\* is already in progress, cut by an earlier run: /);
    expect(replies[0]).toContain("[`release/v1.2.0`](");
    expect(replies[0]).toContain(`/pull/${pull.number}`);
    expect(replies[0]).toContain("merging it tags v1.2.0");
    await expectOneRelease(r);
    // Nothing written but the new issue and its answer: the PR keeps its labels, no second PR.
    const after = await endState(r.sandbox, r.admin, r.repo);
    expect(after.pulls).toEqual(done.pulls);
    expect(after.threads[pull.number]?.labels).toEqual(done.threads[pull.number]?.labels);
  }, 60_000);
});
