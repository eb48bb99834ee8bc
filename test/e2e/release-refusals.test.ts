// /release when GitHub refuses the release branch with a 422 that is not "Reference already
// exists" (https://docs.github.com/en/rest/git/refs#create-a-reference): an intermittent
// "Reference update failed" is retried and the release is cut; a ruleset restricting creations
// is reported with what to do, never as "being cut by another run".
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

describe("/release when GitHub refuses the release branch", () => {
  let e2e: EndToEnd;
  beforeEach(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
  });
  afterEach(async () => {
    await e2e?.close();
  });
  const refs = "/repos/duqueom/ml-mlops-portfolio/git/refs";

  it("retries GitHub's intermittent 'Reference update failed' and cuts the release", async () => {
    const { sandbox, repo } = e2e;
    sandbox.faults.add({ method: "POST", path: refs, refusal: "reference-update-failed", times: 1 });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 60_000 });
    expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeDefined();
    expect(
      sandbox.requests.filter((r) => r.method === "POST" && r.path === refs).map((r) => r.status),
    ).toEqual([422, 201]);
    expect(e2e.repliesTo(issue, "maintainer").at(-1)).toContain("Release **v1.2.0** is cut");
    expect(sandbox.pulls(repo)).toHaveLength(1);
  });

  it("reports a ruleset that restricts creating the branch, with what to do", async () => {
    const { sandbox, repo } = e2e;
    sandbox.faults.add({ method: "POST", path: refs, refusal: "creations-restricted" });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await e2e.settle({ timeoutMs: 60_000 });
    expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeUndefined();
    const reply = e2e.repliesTo(issue, "maintainer").at(-1) ?? "";
    expect(reply).toContain("`/release` failed: GitHub refused to write `refs/heads/release/v1.2.0`");
    expect(reply).toContain("Cannot create ref due to creations being restricted.");
    expect(reply).toContain("bypass list");
    expect(reply).not.toContain("another run");
    expect(sandbox.pulls(repo)).toEqual([]);
  });
});
