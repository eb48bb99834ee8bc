/**
 * Attack 2 of issue #12, replayed end to end: a PR's own config turned every gate off and set
 * approvals to 0, and `Release readiness` concluded success. The gates are policy: they come
 * from the default branch's config, whatever the PR head's file says.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { parseDocument } from "yaml";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openReleasePull } from "./support.js";

jest.setTimeout(240_000);

const CONFIG = ".github/release-pilot.yml";
const GATES = [
  "tests",
  "coverage",
  "security",
  "docs",
  "versions",
  "models",
  "integration",
  "approvals",
  "compliance",
];

describe("attack 2: a PR does not decide its own checklist", () => {
  let e2e: EndToEnd;
  let opened: Awaited<ReturnType<typeof openReleasePull>>;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
    e2e.sandbox.protectBranch(e2e.repo, "main", { requiredChecks: ["Release readiness"] });
    opened = await openReleasePull(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const lastRun = (sha: string, name: string) =>
    e2e.sandbox
      .checkRuns(e2e.repo, sha)
      .filter((r) => r.name === name)
      .at(-1);

  it("a head config with every gate off and 0 approvals leaves readiness failing and the merge blocked", async () => {
    const { sandbox, repo } = e2e;
    const config = parseDocument((await sandbox.getFile(repo, opened.branch, CONFIG)) ?? "");
    for (const gate of GATES) config.setIn(["checklist", gate, "enabled"], false);
    config.setIn(["checklist", "approvals", "count"], 0);
    config.setIn(["checklist", "coverage", "threshold"], 0);
    const sha = await sandbox.pushCommit(repo, "developer", opened.branch, "chore: relax the checklist", {
      [CONFIG]: config.toString(),
    });
    await e2e.settle({ timeoutMs: 60_000 });
    // The head's file is valid (the config check says so), and still governs nothing.
    expect(lastRun(sha, "release-pilot config")?.conclusion).toBe("success");
    expect(lastRun(sha, "Release readiness")?.conclusion).toBe("failure");
    expect(lastRun(sha, "Checklist: Coverage")?.conclusion).toBe("failure");
    expect(lastRun(sha, "Checklist: Approvals")?.conclusion).toBe("failure");
    expect(lastRun(sha, "Checklist: Compliance")?.conclusion).toBe("failure");
    await expect(sandbox.mergePullRequest(repo, opened.pull, "developer")).rejects.toThrow(
      /Release readiness/,
    );
  });

  it("the same change on the default branch, made by a maintainer, is what turns the gates off", async () => {
    const { sandbox, repo } = e2e;
    const main = parseDocument((await sandbox.getFile(repo, "main", CONFIG)) ?? "");
    // Readiness never passes with no gate at all: versions and docs stay (both pass here).
    for (const gate of GATES.filter((g) => g !== "versions" && g !== "docs"))
      main.setIn(["checklist", gate, "enabled"], false);
    await sandbox.pushCommit(repo, "maintainer", "main", "chore: only versions and docs gate releases", {
      [CONFIG]: main.toString(),
    });
    const sha = await sandbox.pushCommit(repo, "developer", opened.branch, "docs: notes", {
      "NOTES.md": "x\n",
    });
    await e2e.settle({ timeoutMs: 60_000 });
    expect(lastRun(sha, "Checklist: Coverage")).toBeUndefined();
    expect(lastRun(sha, "Checklist: Docs")?.conclusion).toBe("success");
    expect(lastRun(sha, "Release readiness")?.conclusion).toBe("success");
  });
});
