import { describe, expect, it } from "@jest/globals";
import { configSchema } from "../../../src/config/schema.js";
import { renderShipMarker } from "../../../src/domain/ship/ship-marker.js";
import type { CommandContext } from "../../../src/use-cases/command-context.js";
import type { PullState, RepoPorts } from "../../../src/use-cases/repo-ports.js";
import { runShipCommand } from "../../../src/use-cases/ship/ship-command.js";
import { FakeShipGitHub } from "./fake-ship-github.js";

/** A PR as GET /repos/{owner}/{repo}/pulls/{n} gives it (https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request). */
const pullOf = (over: Partial<PullState>): PullState => ({
  number: 5,
  state: "closed",
  body: renderShipMarker({ kind: "release", version: "1.2.0" }),
  head: { ref: "release/v1.2.0", sha: "h1", repo: { id: 1 } },
  base: { ref: "main", repo: { id: 1 } },
  labels: [{ name: "release" }],
  title: "Release v1.2.0",
  url: "https://github.com/o/r/pull/5",
  merged: true,
  mergeSha: "m1",
  ...over,
});

const contextOf = (gh: FakeShipGitHub, pull: PullState, isPullRequest = true): CommandContext =>
  ({
    ports: {
      getPull: async () => pull,
      github: gh.ports,
      models: () => undefined,
    } as unknown as RepoPorts,
    repo: { owner: "o", repo: "r" },
    repoUrl: "https://github.com/o/r",
    issue: { number: pull.number, title: pull.title ?? "", isPullRequest },
    commentId: 1,
    actor: "maintainer",
    config: configSchema.parse({}),
    log: { info: () => undefined, error: () => undefined },
    deliveryId: "d1",
  }) as CommandContext;

describe("/ship", () => {
  it.each([
    [
      "an open PR",
      { state: "open", merged: false, mergeSha: null },
      "`/ship` completes a merged release or hotfix PR; this one is not merged yet: merging it ships it.",
    ],
    [
      "a PR closed without merging",
      { merged: false, mergeSha: null },
      "`/ship` completes a merged release or hotfix PR; this one was closed without merging.",
    ],
    [
      "a merged feature PR",
      { body: "adds a thing", head: { ref: "feature/x", sha: "h1" }, labels: [] },
      "this PR is none of them, so there is nothing to ship.",
    ],
    [
      "a merged release branch into develop",
      { base: { ref: "develop" }, body: null },
      "this PR is none of them, so there is nothing to ship.",
    ],
  ])("on %s says why not and writes nothing", async (_name, over, said) => {
    const gh = new FakeShipGitHub();
    const result = await runShipCommand(contextOf(gh, pullOf(over as Partial<PullState>)), { name: "ship" });
    expect(result.reason).toBe("bad-command");
    expect(result.message).toContain(said);
    expect(gh.writes).toEqual([]);
  });

  it("on an issue says where it runs", async () => {
    const gh = new FakeShipGitHub();
    const result = await runShipCommand(contextOf(gh, pullOf({}), false), { name: "ship" });
    expect(result.message).toBe("`/ship` runs on a merged release or hotfix pull request, not on an issue.");
  });

  it("on a merged release PR completes only the missing steps", async () => {
    const gh = new FakeShipGitHub();
    gh.tags.set("v1.1.0", { commit: "old" });
    gh.tags.set("v1.2.0", { commit: "m1" });
    gh.files.set("m1", { "CHANGELOG.md": "# Changelog\n\n## [1.2.0] - 2025-01-15\n\n### Added\n- Batch\n" });
    const result = await runShipCommand(contextOf(gh, pullOf({})), { name: "ship" });
    expect(result.reason).toBe("already-done");
    expect(result.message).toContain("🚢 Shipping is complete: v1.2.0 shipped");
    expect(gh.writes).not.toContain("tag v1.2.0");
    expect(gh.writes[0]).toBe("release v1.2.0");
    expect(gh.writes.at(-1)).toBe("comment #5");
  });
});
