import { afterEach, describe, expect, it, jest } from "@jest/globals";
import type { FaultRule } from "../../sandbox/github/index.js";
import { endState } from "./support/end-state.js";
import { answered, appCalls, type Reliability, startReliability, waitFor } from "./support/harness.js";
import { RetryingOctokit } from "./support/retrying-octokit.js";

/**
 * The Ship row of the fault matrix (docs/reliability.md): GitHub faults on each step of shipping a
 * merged release PR (tag, release, back-merge, comments, closing the issue), with the production
 * retry plugin. A transient fault completes within the retries; a persistent one is told on the
 * PR and the tracking issue ("done / remaining"), the delivery is still answered 2xx (GitHub does
 * not redeliver by itself: https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries),
 * and `/ship` or a redelivery completes it exactly once.
 */
jest.setTimeout(180_000);

const R = "/repos/duqueom/ml-mlops-portfolio";
const PROGRESS = "<!-- release-pilot:ship-progress:v1.2.0 -->";
const SHIPPED = "<!-- release-pilot:shipped:v1.2.0 -->";

const bot = (r: Reliability, n: number) =>
  r.sandbox.issue(r.repo, n).comments.filter((c) => c.user.login === `${r.sandbox.appSlug}[bot]`);
const withMarker = (r: Reliability, n: number, marker: string) =>
  bot(r, n).filter((c) => c.body.includes(marker));

/** `/release 1.2.0` on a new issue; returns the issue and the release PR. */
const cutRelease = async (r: Reliability): Promise<{ issue: number; pull: number }> => {
  const { sandbox, repo } = r;
  const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
  const id = sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
  await waitFor(sandbox, answered(sandbox, repo, issue, id));
  const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0");
  expect(pull).toBeDefined();
  return { issue, pull: pull!.number };
};

/** Merges the release PR and waits until the ship run has told the PR (shipped or stopped). */
const merge = async (r: Reliability, pull: number) => {
  const first = r.sandbox.deliveries.length;
  await r.sandbox.mergePullRequest(r.repo, pull, "maintainer");
  await waitFor(r.sandbox, () =>
    bot(r, pull).some((c) => c.body.includes(SHIPPED) || c.body.includes(PROGRESS)),
  );
  await r.sandbox.settled({ timeoutMs: 60_000 });
  const closed = r.sandbox.deliveries
    .slice(first)
    .filter((d) => d.event === "pull_request" && d.action === "closed");
  expect(closed).toHaveLength(1);
  return closed[0]!;
};

/** One tag, one release, main back-merged into develop once, each thread told once, the issue closed. */
const expectShippedOnce = async (r: Reliability, issue: number, pull: number) => {
  const state = await endState(r.sandbox, r.admin, r.repo);
  expect(state.tags).toEqual(["v1.1.0", "v1.2.0"]);
  expect(state.releases.map((x) => x.tag)).toEqual(["v1.2.0"]);
  const merges = (await r.sandbox.commits(r.repo, "develop")).filter((c) =>
    c.message.startsWith("Merge main (v1.2.0) into develop"),
  );
  expect(merges).toHaveLength(1);
  expect(state.pulls.filter((p) => p.base === "develop")).toHaveLength(0);
  expect(withMarker(r, pull, SHIPPED)).toHaveLength(1);
  expect(withMarker(r, issue, SHIPPED)).toHaveLength(1);
  expect(state.threads[issue]?.state).toBe("closed");
  return state;
};

/** The app's requests matching the fault's method and path, as the sandbox answered them. */
const matching = (r: Reliability, rule: FaultRule) =>
  appCalls(r.sandbox).filter(
    (c) =>
      c.method === (rule.method ?? c.method) &&
      (rule.path instanceof RegExp ? rule.path.test(c.path) : c.path === rule.path),
  );

describe("Ship: GitHub faults on each step of shipping a merged release", () => {
  let r: Reliability | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  const transient: [string, FaultRule][] = [
    ["a 502 on the tag object", { method: "POST", path: `${R}/git/tags`, status: 502, times: 1 }],
    ["a 500 on the release", { method: "POST", path: `${R}/releases`, status: 500, times: 1 }],
    ["a 503 on the back-merge", { method: "POST", path: `${R}/merges`, status: 503, times: 1 }],
    [
      "a dropped connection on the issue's comment",
      { method: "POST", path: /\/issues\/1\/comments$/, drop: true, times: 1 },
    ],
    ["a 502 on closing the issue", { method: "PATCH", path: `${R}/issues/1`, status: 502, times: 1 }],
  ];

  it.each(transient)(
    "%s is retried and the release ships once, with no progress comment",
    async (_name, rule) => {
      r = await startReliability({ Octokit: RetryingOctokit });
      const { issue, pull } = await cutRelease(r);
      expect(issue).toBe(1);
      r.sandbox.resetRequests();
      r.sandbox.faults.add(rule);
      const delivery = await merge(r, pull);
      expect(delivery.status).toBe(200);
      const answers = matching(r, rule).map((c) => c.status);
      expect(answers.filter((s) => s >= 400 || s === 0)).toHaveLength(1);
      expect(answers.at(-1)).toBeLessThan(400);
      await expectShippedOnce(r, issue, pull);
      expect(withMarker(r, pull, PROGRESS)).toHaveLength(0);
      expect(withMarker(r, issue, PROGRESS)).toHaveLength(0);
      expect(r.sandbox.violations).toEqual([]);
    },
  );

  it("the release refused: the PR and the issue are told what is done and what remains; /ship completes it once", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    const { issue, pull } = await cutRelease(r);
    r.sandbox.faults.add({
      method: "POST",
      path: `${R}/releases`,
      status: 403,
      message: "Resource not accessible by integration",
    });
    const delivery = await merge(r, pull);
    // Told, so answered 2xx.
    expect(delivery.status).toBe(200);
    for (const thread of [pull, issue]) {
      const told = withMarker(r, thread, PROGRESS);
      expect(told).toHaveLength(1);
      expect(told[0]?.body).toContain("### ⚠️ Shipping v1.2.0 stopped");
      expect(told[0]?.body).toContain("The GitHub release failed: GitHub answered 403.");
      expect(told[0]?.body).toContain("- ✅ tag on the merge commit");
      expect(told[0]?.body).toContain("- ⏳ back-merge into develop: remains");
      expect(told[0]?.body).toContain("- ⏳ tracking issue closed: remains");
      expect(told[0]?.body).toContain("`/ship`");
    }
    const stopped = await endState(r.sandbox, r.admin, r.repo);
    expect(stopped.tags).toEqual(["v1.1.0", "v1.2.0"]);
    expect(stopped.releases).toEqual([]);
    expect(stopped.threads[issue]?.state).toBe("open");
    expect(withMarker(r, pull, SHIPPED)).toHaveLength(0);

    // `/ship` by someone with read access only is refused before anything runs.
    const early = r.sandbox.comment(r.repo, pull, "reader", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, pull, early));
    expect((await endState(r.sandbox, r.admin, r.repo)).releases).toEqual([]);

    r.sandbox.faults.clear();
    r.sandbox.resetRequests();
    const id = r.sandbox.comment(r.repo, pull, "maintainer", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, pull, id));
    const reply = bot(r, pull).at(-1)?.body ?? "";
    expect(reply).toContain("🚢 Shipping is complete: v1.2.0 shipped");
    const state = await expectShippedOnce(r, issue, pull);
    expect(state.tags).toEqual(stopped.tags);
    // The tag was not written again; the progress comments were edited in place, not doubled.
    expect(appCalls(r.sandbox).filter((c) => c.method === "POST" && c.path.includes("/git/"))).toEqual([]);
    for (const thread of [pull, issue]) {
      const told = withMarker(r, thread, PROGRESS);
      expect(told).toHaveLength(1);
      expect(told[0]?.body).toContain("### ✅ Shipping v1.2.0 completed");
    }

    // A second `/ship` finds every step done: it writes nothing but its reply.
    r.sandbox.resetRequests();
    const again = r.sandbox.comment(r.repo, pull, "maintainer", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, pull, again));
    const writes = appCalls(r.sandbox).filter(
      (c) => c.method !== "GET" && !c.path.includes("/access_tokens") && !c.path.includes("/reactions"),
    );
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${R}/issues/${pull}/comments`]);
    await expectShippedOnce(r, issue, pull);
    expect(r.sandbox.violations).toEqual([]);
  });

  it("the back-merge failing past the retries is told; a redelivery of the merge event completes it once", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    const { issue, pull } = await cutRelease(r);
    const rule: FaultRule = { method: "POST", path: `${R}/merges`, status: 500, times: 4 };
    r.sandbox.faults.add(rule);
    const delivery = await merge(r, pull);
    expect(delivery.status).toBe(200);
    // Octokit's retry plugin: the request and three retries.
    expect(matching(r, rule)).toHaveLength(4);
    for (const thread of [pull, issue]) {
      const told = withMarker(r, thread, PROGRESS);
      expect(told).toHaveLength(1);
      expect(told[0]?.body).toContain("The back-merge into develop failed: GitHub answered 500.");
      expect(told[0]?.body).toContain("- ✅ GitHub release");
      expect(told[0]?.body).toContain("- ⏳ comment on this PR: remains");
    }
    const stopped = await endState(r.sandbox, r.admin, r.repo);
    expect(stopped.releases.map((x) => x.tag)).toEqual(["v1.2.0"]);
    expect(stopped.threads[issue]?.state).toBe("open");

    r.sandbox.redeliver(delivery.id);
    await waitFor(r.sandbox, () => withMarker(r!, pull, SHIPPED).length > 0);
    await r.sandbox.settled({ timeoutMs: 60_000 });
    await expectShippedOnce(r, issue, pull);
    for (const thread of [pull, issue]) {
      expect(withMarker(r, thread, PROGRESS)).toHaveLength(1);
      expect(withMarker(r, thread, PROGRESS)[0]?.body).toContain("### ✅ Shipping v1.2.0 completed");
    }
    expect(r.sandbox.violations).toEqual([]);
  });

  it("reading the tracking issue refused before the first step: the PR is told (nothing done, every step remaining), the delivery answered 2xx; /ship completes it once", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    const { issue, pull } = await cutRelease(r);
    // https://docs.github.com/en/rest/issues/issues#get-an-issue, failing past the retry plugin.
    const rule: FaultRule = { method: "GET", path: `${R}/issues/${issue}`, status: 500 };
    r.sandbox.faults.add(rule);
    const delivery = await merge(r, pull);
    expect(delivery.status).toBe(200);
    expect(matching(r, rule).map((c) => c.status)).toEqual([500, 500, 500, 500]);
    const told = withMarker(r, pull, PROGRESS);
    expect(told).toHaveLength(1);
    const body = told[0]?.body ?? "";
    expect(body).toContain("### ⚠️ Shipping v1.2.0 stopped");
    expect(body).toContain(
      "Nothing is done yet: reading the tracking issue failed before the first step: GitHub answered 500.",
    );
    for (const step of [
      "tag on the merge commit",
      "GitHub release",
      "back-merge into develop",
      "comment on this PR",
    ])
      expect(body).toContain(`- ⏳ ${step}: remains`);
    expect(body).not.toContain("- ✅");
    expect(body).toContain("`/ship`");
    // The issue could not be read, so nothing was posted there; nothing was shipped.
    expect(withMarker(r, issue, PROGRESS)).toHaveLength(0);
    const stopped = await endState(r.sandbox, r.admin, r.repo);
    expect(stopped.tags).toEqual(["v1.1.0"]);
    expect(stopped.releases).toEqual([]);
    expect(stopped.threads[issue]?.state).toBe("open");

    r.sandbox.faults.clear();
    const id = r.sandbox.comment(r.repo, pull, "maintainer", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, pull, id));
    expect(bot(r, pull).at(-1)?.body).toContain("🚢 Shipping is complete: v1.2.0 shipped");
    await expectShippedOnce(r, issue, pull);
    const after = withMarker(r, pull, PROGRESS);
    expect(after).toHaveLength(1);
    expect(after[0]?.body).toContain("### ✅ Shipping v1.2.0 completed");
    expect(withMarker(r, issue, PROGRESS)).toHaveLength(0);
    expect(r.sandbox.violations).toEqual([]);
  });

  it("/ship on an open release PR or on an issue says why not, and ships nothing", async () => {
    r = await startReliability({ Octokit: RetryingOctokit });
    const { issue, pull } = await cutRelease(r);
    const onPull = r.sandbox.comment(r.repo, pull, "maintainer", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, pull, onPull));
    expect(bot(r, pull).at(-1)?.body).toContain(
      "`/ship` completes a merged release or hotfix PR; this one is not merged yet",
    );
    const onIssue = r.sandbox.comment(r.repo, issue, "maintainer", "/ship");
    await waitFor(r.sandbox, answered(r.sandbox, r.repo, issue, onIssue));
    expect(bot(r, issue).at(-1)?.body).toContain(
      "`/ship` runs on a merged release or hotfix pull request, not on an issue.",
    );
    const state = await endState(r.sandbox, r.admin, r.repo);
    expect(state.tags).toEqual(["v1.1.0"]);
    expect(state.releases).toEqual([]);
  });
});
