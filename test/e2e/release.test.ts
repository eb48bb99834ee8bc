import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

describe("/release through the real app and the sandbox GitHub", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("cuts release/v1.2.0 with one commit bumping every version file, and opens the PR", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await sandbox.settled({ timeoutMs: 60_000 });

    expect(sandbox.violations).toEqual([]);
    const branch = await sandbox.getRef(repo, "heads/release/v1.2.0");
    const develop = await sandbox.getRef(repo, "heads/develop");
    expect(branch).toBeDefined();
    const commits = await sandbox.commits(repo, "release/v1.2.0");
    expect(commits[0]?.message ?? "").toContain("chore(release): 1.2.0");
    expect(commits[0]?.parents).toEqual([develop]);

    for (const path of [
      "BankChurn-Predictor/pyproject.toml",
      "BankChurn-Predictor/src/bankchurn/__init__.py",
      "BankChurn-Predictor/Dockerfile",
      "CarVision-Market-Intelligence/pyproject.toml",
      "TelecomAI-Customer-Intelligence/src/telecom/__init__.py",
    ]) {
      const text = await sandbox.getFile(repo, "release/v1.2.0", path);
      expect(text).toContain("1.2.0");
      expect(text).not.toContain("1.1.0");
    }
    const changelog = (await sandbox.getFile(repo, "release/v1.2.0", "CHANGELOG.md")) ?? "";
    expect(changelog).toContain("## [1.2.0] - 2025-01-15");
    expect(changelog).toMatch(/### Added[\s\S]*batch prediction endpoint/i);
    expect(changelog).toMatch(/### Fixed[\s\S]*CORS/);
    // An unscoped commit is scoped by the directory it touched (looked up in one GraphQL read).
    expect(changelog).toMatch(/\*\*CarVision-Market-Intelligence\*\*: New market analysis dashboard/);

    const pulls = sandbox.pulls(repo);
    expect(pulls).toHaveLength(1);
    const thread = sandbox.issue(repo, issue);
    const reply = thread.comments.at(-1);
    expect(reply?.body).toContain("Release **v1.2.0** is cut");
    expect(sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });

  it("answers a second /release of the same version with the PR link and changes nothing", async () => {
    const { sandbox, repo } = e2e;
    const before = sandbox.pulls(repo).length;
    const issue = await sandbox.openIssue(repo, "developer", { title: "again" });
    sandbox.comment(repo, issue, "developer", "/release 1.2.0");
    await sandbox.settled();
    expect(sandbox.pulls(repo)).toHaveLength(before);
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toContain("already in progress");
  });

  it("shows the commands, their outcomes and the API calls on /metrics", async () => {
    const text = await (await fetch(`${e2e.app.url}/metrics`)).text();
    expect(text).toMatch(
      /release_pilot_command_outcomes_total\{[^}]*command="release"[^}]*reason="done"[^}]*\} 1/,
    );
    expect(text).toMatch(
      /release_pilot_command_outcomes_total\{[^}]*command="release"[^}]*reason="already-done"[^}]*\} 1/,
    );
    expect(text).toMatch(/release_pilot_github_requests_total\{[^}]*\} \d+/);
    expect(text).toMatch(
      /release_pilot_webhook_duration_seconds_count\{[^}]*event="issue_comment.created"[^}]*\} \d+/,
    );
  });

  it("refuses /release to a reader", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "reader", { title: "please" });
    sandbox.comment(repo, issue, "reader", "/release 2.0.0");
    await sandbox.settled();
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toBe(
      "@reader, `/release` needs the **write** permission on this repository; you have **read**.",
    );
  });
});
