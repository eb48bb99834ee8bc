import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { until } from "../../sandbox/harness/app-process.js";
import { reportCi } from "../../sandbox/sample/ci.js";
import { type ProcessStage, startProcessStage } from "./support/process-stage.js";

/**
 * The Kill cell of the Checklist row (docs/reliability.md): the app, as `npm start` runs it, is
 * killed (SIGKILL) while it evaluates a new release PR, after some of the head's check runs were
 * created and before the rest. CI then completes while the app is down: GitHub does not redeliver
 * those deliveries by itself
 * (https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries), so no
 * event would ever evaluate the head again, and a branch protection requiring the checks would
 * wait forever for the missing ones. The next start evaluates every open release PR: one check run
 * per gate on the head (found by name, never created twice: checks API,
 * https://docs.github.com/en/rest/checks/runs#create-a-check-run), each concluded.
 */
jest.setTimeout(240_000);

const R = "/repos/duqueom/ml-mlops-portfolio";
const CHECK_RUNS = new RegExp(`^${R}/check-runs(/\\d+)?$`);
/** Every gate once CI reported good coverage and passing tests; the rest wait for people. */
const AFTER_CI = {
  "Checklist: Approvals": "failure",
  "Checklist: Compliance": "failure",
  "Checklist: Coverage": "success",
  "Checklist: Docs": "success",
  "Checklist: Integration tests": "success",
  "Checklist: Model performance": "success",
  "Checklist: Security": "failure",
  "Checklist: Tests": "success",
  "Checklist: Version consistency": "success",
  "Release readiness": "failure",
};

let s: ProcessStage;
beforeAll(async () => {
  s = await startProcessStage();
});
afterAll(async () => {
  await s?.close();
});

const ours = (sha: string) =>
  s.sandbox.checkRuns(s.repo, sha).filter((x) => x.app.slug === s.sandbox.appSlug);
const conclusions = (sha: string) => {
  const latest = new Map<string, string>();
  for (const run of ours(sha)) latest.set(run.name, `${run.conclusion ?? run.status}`);
  return Object.fromEntries([...latest].sort());
};
const checkRunWrites = () =>
  s.sandbox.requests.filter((c) => c.fromApp && c.method !== "GET" && CHECK_RUNS.test(c.path));

describe("Checklist: the app killed mid-evaluation", () => {
  it("SIGKILL after 3 of the head's check runs: the next start completes the checklist, one run per gate, all concluded", async () => {
    // The first evaluation of the new PR creates three check runs; the fourth hangs (then its
    // connection drops), so the kill lands mid-evaluation whatever the machine's speed.
    s.sandbox.faults.add({ method: "POST", path: CHECK_RUNS, times: 3 });
    s.sandbox.faults.add({ method: "POST", path: CHECK_RUNS, latencyMs: 30_000, drop: true, times: 1 });
    const first = await s.start("pod-a");
    const issue = await s.sandbox.openIssue(s.repo, "maintainer", { title: "Release 1.2.0" });
    const id = s.sandbox.comment(s.repo, issue, "maintainer", "/release 1.2.0");
    await until(
      "the /release reply",
      () => (s.sandbox.issue(s.repo, issue).comments.find((c) => c.id === id)?.reactions ?? []).length >= 2,
      60_000,
    );
    const pull = s.sandbox.pulls(s.repo).find((p) => p.pull?.head === "release/v1.2.0");
    expect(pull).toBeDefined();
    const branch = pull?.pull?.head ?? "";
    const sha = (await s.sandbox.getRef(s.repo, `heads/${branch}`)) ?? "";
    await until("three check runs", () => ours(sha).length === 3, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    const killed = ours(sha);
    expect(killed).toHaveLength(3);

    // CI completes while the app is down: those deliveries fail and are not sent again.
    s.sandbox.faults.clear();
    await reportCi(s.sandbox, s.repo, {
      sha,
      branch,
      coverage: {
        "BankChurn-Predictor": 0.82,
        "CarVision-Market-Intelligence": 0.81,
        "TelecomAI-Customer-Intelligence": 0.8,
      },
    });
    await s.sandbox.settled({ timeoutMs: 30_000 });
    expect(ours(sha)).toHaveLength(3);

    // Started again: the open release PR is evaluated without any new event.
    const second = await s.start("pod-a");
    await until("the checklist completed", () => Object.keys(conclusions(sha)).length === 10, 90_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${second.output()}`);
      },
    );
    await until("the checklist concluded", () => ours(sha).every((r) => r.status === "completed"), 60_000);
    await s.sandbox.settled({ timeoutMs: 60_000 });
    expect(conclusions(sha)).toEqual(AFTER_CI);
    // One run per gate: the three the killed process created were updated, not created again.
    const runs = ours(sha);
    expect(runs).toHaveLength(Object.keys(AFTER_CI).length);
    expect(new Set(runs.map((r) => r.name)).size).toBe(runs.length);
    for (const run of killed) expect(runs.find((r) => r.name === run.name)?.id).toBe(run.id);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    // The PR's checklist section, written after the runs, is there too.
    const body = s.sandbox.issue(s.repo, pull?.number ?? 0).body;
    expect(body).toContain("**❌ Not ready: Security, Approvals, Compliance**");
    expect(body).toContain("| ✅ | [Coverage]");
    expect(second.output()).toContain("checklist evaluated on start");

    // A further start finds the checklist as written and writes no check run.
    await second.stop("SIGKILL");
    s.sandbox.resetRequests();
    const third = await s.start("pod-a");
    await until(
      "the start's evaluation",
      () => third.output().includes("checklist evaluated on start"),
      60_000,
    );
    await s.sandbox.settled({ timeoutMs: 30_000 });
    expect(checkRunWrites()).toEqual([]);
    expect(ours(sha)).toHaveLength(runs.length);
    expect(s.sandbox.violations).toEqual([]);
  });
});
