// The two checklist routes only people's clicks reach: "Re-run" on one of the app's check runs
// (check_run.rerequested) and "Dismiss review" (pull_request_review.dismissed), delivered by the
// sandbox as GitHub delivers them and handled by the real app.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

const runs = (e2e: EndToEnd, sha: string, name: string) =>
  e2e.sandbox.checkRuns(e2e.repo, sha).filter((r) => r.name === name);

// A release is cut first: many webhooks and API calls.
jest.setTimeout(180_000);

describe("re-running a checklist run and dismissing a review on a release PR", () => {
  let e2e: EndToEnd;
  let pull: number;
  let sha: string;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 60_000 });
    const found = sandbox.pulls(repo).find((p) => p.title === "Release v1.2.0");
    if (!found?.pull)
      throw new Error(
        `no release PR: ${e2e.repliesTo(issue, "maintainer").join(" | ")} ${sandbox.violations.join(" | ")}`,
      );
    pull = found.number;
    sha = found.pull.headSha;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("re-creates a checklist run when someone clicks Re-run on it", async () => {
    const { sandbox, repo } = e2e;
    const before = runs(e2e, sha, "Checklist: Coverage");
    expect(before.length).toBeGreaterThan(0);
    const clicked = before.at(-1)!;
    sandbox.rerunCheckRun(repo, clicked.id, "developer");
    await e2e.settle({ timeoutMs: 60_000 });

    const delivered = sandbox.deliveries.filter((d) => d.event === "check_run" && d.action === "rerequested");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.status).toBeLessThan(300);
    expect((delivered[0]!.payload.sender as { login: string }).login).toBe("developer");
    const after = runs(e2e, sha, "Checklist: Coverage");
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)!.id).toBeGreaterThan(clicked.id);
    expect(after.at(-1)!.status).toBe("completed");
    // Only the run asked for is re-created.
    expect(runs(e2e, sha, "Checklist: Docs").length).toBe(1);
  });

  it("does not deliver the re-run of another App's check run to this app", async () => {
    const { sandbox, repo } = e2e;
    const ci = await sandbox.completeCheckRun(repo, sha, { name: "unit tests", conclusion: "failure" });
    await e2e.settle({ timeoutMs: 60_000 });
    const count = sandbox.deliveries.filter((d) => d.action === "rerequested").length;
    sandbox.rerunCheckRun(repo, ci, "developer");
    await e2e.settle({ timeoutMs: 60_000 });
    expect(sandbox.deliveries.filter((d) => d.action === "rerequested")).toHaveLength(count);
  });

  it("takes an approval back when the review is dismissed", async () => {
    const { sandbox, repo } = e2e;
    await sandbox.review(repo, pull, "maintainer", "APPROVE");
    await e2e.settle({ timeoutMs: 60_000 });
    expect(runs(e2e, sha, "Checklist: Approvals").at(-1)?.conclusion).toBe("success");

    await sandbox.dismissReview(repo, pull, "admin", "maintainer");
    await e2e.settle({ timeoutMs: 60_000 });
    const dismissed = sandbox.deliveries.filter(
      (d) => d.event === "pull_request_review" && d.action === "dismissed",
    );
    expect(dismissed).toHaveLength(1);
    expect((dismissed[0]!.payload.review as { state: string }).state).toBe("dismissed");
    const approvals = runs(e2e, sha, "Checklist: Approvals").at(-1);
    expect(approvals?.conclusion).toBe("failure");
    expect(`${approvals?.output.title ?? ""} ${approvals?.output.summary ?? ""}`).toMatch(
      /\b0 of \d+ approvals/,
    );
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
