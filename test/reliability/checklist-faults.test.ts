import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { reportCi } from "../../sandbox/sample/ci.js";
import { answered, appCalls, type Reliability, startReliability, waitFor } from "./support/harness.js";
import { RetryingOctokit } from "./support/retrying-octokit.js";

/**
 * GitHub faults while the pre-release checklist evaluates a release PR, driven only through the
 * sandbox and its webhooks (check_run.completed from CI, check_run.rerequested from the Re-run
 * button: https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run), with the
 * production retry plugin. The coverage gate reads the CI run's artifacts
 * (https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts): the read faulted.
 */
jest.setTimeout(180_000);

const ARTIFACTS = /\/actions\/runs\/\d+\/artifacts(\?.*)?$/;
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

let r: Reliability;
let branch: string;
beforeAll(async () => {
  r = await startReliability({ Octokit: RetryingOctokit });
  const issue = await r.sandbox.openIssue(r.repo, "maintainer", { title: "Release 1.2.0" });
  const id = r.sandbox.comment(r.repo, issue, "maintainer", "/release 1.2.0");
  await waitFor(r.sandbox, answered(r.sandbox, r.repo, issue, id));
  const found = r.sandbox.pulls(r.repo).find((p) => p.title === "Release v1.2.0");
  if (!found) throw new Error("no release PR");
  branch = found?.pull?.head ?? "";
});
afterAll(async () => {
  await r?.close();
});

const head = async () => (await r.sandbox.getRef(r.repo, `heads/${branch}`)) ?? "";
const conclusions = (sha: string) => {
  const latest = new Map<string, string>();
  for (const run of r.sandbox.checkRuns(r.repo, sha).filter((x) => x.app.slug === r.sandbox.appSlug))
    latest.set(run.name, `${run.conclusion ?? run.status}`);
  return Object.fromEntries([...latest].sort());
};

const coverageRun = (sha: string) =>
  r.sandbox
    .checkRuns(r.repo, sha)
    .filter((x) => x.app.slug === r.sandbox.appSlug && x.name === "Checklist: Coverage")
    .at(-1);

/** A person presses Re-run on the coverage check run; resolves once evaluated again. */
const rerunCoverage = async (sha: string) => {
  const run = coverageRun(sha);
  if (!run) throw new Error("no coverage run");
  r.sandbox.rerunCheckRun(r.repo, run.id, "maintainer");
  await r.settle({ timeoutMs: 60_000 });
  return coverageRun(sha);
};

describe("GitHub faults while the checklist evaluates a release PR", () => {
  it("transient: a 502 on the artifacts read is retried; the evaluation completes and every check run is right", async () => {
    const sha = await head();
    r.sandbox.resetRequests();
    r.sandbox.faults.add({ method: "GET", path: ARTIFACTS, status: 502, times: 1 });
    await reportCi(r.sandbox, r.repo, {
      sha,
      branch,
      coverage: {
        "BankChurn-Predictor": 0.82,
        "CarVision-Market-Intelligence": 0.81,
        "TelecomAI-Customer-Intelligence": 0.8,
      },
    });
    await r.settle({ timeoutMs: 60_000 });
    const reads = appCalls(r.sandbox).filter((c) => c.method === "GET" && ARTIFACTS.test(c.path));
    expect(reads.map((c) => c.status)).toContain(502);
    expect(reads.at(-1)?.status).toBe(200);
    expect(conclusions(sha)).toEqual(AFTER_CI);
    expect(coverageRun(sha)?.output.summary).toMatch(/CarVision-Market-Intelligence[^\n]*81(\.0+)?\s*%/);
    expect(r.sandbox.violations).toEqual([]);
  });

  it("persistent: the read refused past the retries makes the gate say it could not evaluate, naming GitHub, never a pass; the next event re-evaluates", async () => {
    const sha = await head();
    r.sandbox.faults.add({ method: "GET", path: ARTIFACTS, status: 500 });
    const refused = await rerunCoverage(sha);
    r.sandbox.faults.clear();
    expect(refused?.conclusion).not.toBe("success");
    expect(refused?.conclusion).toBe("failure");
    expect(refused?.output.title).toBe(
      "Could not evaluate coverage for BankChurn-Predictor, CarVision-Market-Intelligence, TelecomAI-Customer-Intelligence: an input could not be read",
    );
    expect(`${refused?.output.summary}\n${refused?.output.text}`).toContain(
      "listing workflow artifacts failed (GitHub answered 500)",
    );
    expect(conclusions(sha)["Release readiness"]).toBe("failure");

    // The next event (here the Re-run button again) evaluates anew, and the gate is right again.
    const again = await rerunCoverage(sha);
    expect(again?.conclusion).toBe("success");
    expect(conclusions(sha)).toEqual(AFTER_CI);
    // One checklist run per gate on the head commit: re-evaluations update, never duplicate.
    const ours = r.sandbox.checkRuns(r.repo, sha).filter((x) => x.app.slug === r.sandbox.appSlug);
    expect(new Set(ours.map((x) => x.name)).size).toBe(Object.keys(AFTER_CI).length);
  });
});
