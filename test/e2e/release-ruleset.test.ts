// /release on a repository whose ruleset restricts creating `release/*` branches
// (https://docs.github.com/en/rest/repos/rules; the rule: "Restrict creations",
// https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets#restrict-creations):
// GitHub refuses the branch, and the app says so and what to do; with the App on the ruleset's
// bypass list the release is cut.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

describe("/release under a ruleset restricting release/* creations", () => {
  let e2e: EndToEnd;
  beforeEach(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
  });
  afterEach(async () => {
    await e2e?.close();
  });

  const restrict = (bypassApp: boolean) =>
    e2e.sandbox.addRuleset(e2e.repo, {
      name: "Release branches",
      include: ["refs/heads/release/*"],
      rules: [{ type: "creation" }],
      bypassApp,
    });

  it("replies with the ruleset's refusal and what to do, and cuts nothing", async () => {
    const { sandbox, repo } = e2e;
    restrict(false);
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 120_000 });
    const creates = sandbox.requests.filter(
      (r) => r.fromApp && r.operationId === "git/create-ref" && r.status === 422,
    );
    expect(creates.length).toBeGreaterThan(0);
    expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeUndefined();
    const reply = e2e.repliesTo(issue, "maintainer").at(-1) ?? "";
    expect(reply).toContain("GitHub refused to write `refs/heads/release/v1.2.0`");
    expect(reply).toContain("Cannot create ref due to creations being restricted.");
    expect(reply).toContain("bypass list");
    expect(reply).not.toContain("another run");
    expect(sandbox.pulls(repo)).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });

  it("cuts the release when the App is on the ruleset's bypass list", async () => {
    const { sandbox, repo } = e2e;
    restrict(true);
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 120_000 });
    expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeDefined();
    expect(e2e.repliesTo(issue, "maintainer").at(-1)).toContain("Release **v1.2.0** is cut");
  });
});
