import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubRefLocks } from "../../../src/adapters/github/ref-locks.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import { decideClaim } from "../../../src/domain/deploy/watch-claim.js";
import { octokitFor } from "../../sandbox/github/helpers.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../../sandbox/github/index.js";

let sandbox: GitHubSandbox;
let locks: GitHubRefLocks;
const repo = { owner: "acme", repo: "ml" };

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [{ branch: "main", message: "Initial commit", files: { "README.md": "# ML\n" } }],
  });
  locks = new GitHubRefLocks(octokitFor(sandbox.url) as unknown as Octokit, repo);
});

afterAll(async () => {
  expect(sandbox.violations).toEqual([]);
  await sandbox.close();
});

const claimOf = (key: string, holder: string, expires = "2026-01-01T00:10:00.000Z") => ({
  key,
  holder,
  expires,
});

describe("watch claims as git refs", () => {
  it("claims once, and tells who holds the claim and until when", async () => {
    const version = await locks.claim(claimOf("deployment-1", "pod-a"));
    expect(version).toMatch(/^[0-9a-f]{40}$/);
    expect(await locks.claim(claimOf("deployment-1", "pod-b"))).toBeUndefined();
    const found = await locks.getClaim("deployment-1");
    expect(found).toMatchObject({ holder: "pod-a", expires: "2026-01-01T00:10:00.000Z", version });
    expect(Number.isNaN(Date.parse(found?.claimedAt ?? ""))).toBe(false);
    expect(await locks.claimVersion("deployment-1")).toBe(version);
    expect(await locks.getClaim("deployment-404")).toBeUndefined();
    expect(await locks.claimVersion("deployment-404")).toBeUndefined();
  });

  it("takes a claim over only from the version found: a stale or removed claim is refused", async () => {
    const first = await locks.claim(claimOf("deployment-2", "pod-a"));
    if (!first) throw new Error("not claimed");
    const second = await locks.takeOver(first, claimOf("deployment-2", "pod-b"));
    expect(second).toMatch(/^[0-9a-f]{40}$/);
    expect((await locks.getClaim("deployment-2"))?.holder).toBe("pod-b");
    // pod-c read the claim before pod-b moved it: its take-over is not a fast forward.
    expect(await locks.takeOver(first, claimOf("deployment-2", "pod-c"))).toBeUndefined();
    expect((await locks.getClaim("deployment-2"))?.holder).toBe("pod-b");
    await locks.unclaim("deployment-2");
    expect(await locks.takeOver(second ?? "", claimOf("deployment-2", "pod-c"))).toBeUndefined();
    expect(await locks.getClaim("deployment-2")).toBeUndefined();
  });

  it("of several instances taking one claim over at the same moment, exactly one wins", async () => {
    const found = await locks.claim(claimOf("deployment-3", "gone"));
    if (!found) throw new Error("not claimed");
    const holders = ["pod-a", "pod-b", "pod-c", "pod-d"];
    const results = await Promise.all(holders.map((h) => locks.takeOver(found, claimOf("deployment-3", h))));
    const winners = holders.filter((_, i) => results[i] !== undefined);
    expect(winners).toHaveLength(1);
    expect((await locks.getClaim("deployment-3"))?.holder).toBe(winners[0]);
  });

  it("reads a claim written before claims expired (no `expires`) as dated by its commit", async () => {
    const octokit = octokitFor(sandbox.url);
    const { data: tree } = await octokit.rest.git.createTree({
      ...repo,
      tree: [{ path: "lock.txt", mode: "100644", type: "blob", content: "x" }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      ...repo,
      message: "release-pilot watch: deployment-4\n\nholder: release-pilot-1\n",
      tree: tree.sha,
      parents: [],
    });
    await octokit.rest.git.createRef({
      ...repo,
      ref: "refs/release-pilot/watch/deployment-4",
      sha: commit.sha,
    });
    const found = await locks.getClaim("deployment-4");
    expect(found?.holder).toBe("release-pilot-1");
    expect(found?.expires).toBeUndefined();
    const claimedAt = Date.parse(found?.claimedAt ?? "");
    expect(decideClaim(found, "pod-a", new Date(claimedAt + 1000), 60_000).kind).toBe("held");
    expect(decideClaim(found, "pod-a", new Date(claimedAt + 61_000), 60_000).kind).toBe("expired");
  });
});

describe("environment locks on the shared lock tree", () => {
  it("creates the lock tree once; later locks cost one commit and one ref", async () => {
    await sandbox.createRepo({
      owner: "acme",
      name: "fresh",
      history: [{ branch: "main", message: "Initial commit", files: { "README.md": "# Fresh\n" } }],
    });
    const freshLocks = new GitHubRefLocks(octokitFor(sandbox.url) as unknown as Octokit, {
      owner: "acme",
      repo: "fresh",
    });
    const lock = (env: string) => ({
      env,
      holder: "maintainer",
      reason: `deploying 1.2.0 to ${env}`,
      since: "2026-01-01T00:00:00.000Z",
      kind: "deploy" as const,
    });
    const operations = async (run: () => Promise<unknown>) => {
      const before = sandbox.requests.length;
      await run();
      return sandbox.requests.slice(before).map((r) => `${r.operationId ?? r.path} ${r.status}`);
    };
    expect(await operations(() => freshLocks.acquire(lock("staging")))).toEqual([
      "git/create-commit 422",
      "git/create-tree 201",
      "git/create-commit 201",
      "git/create-ref 201",
    ]);
    expect(await operations(() => freshLocks.acquire(lock("production")))).toEqual([
      "git/create-commit 201",
      "git/create-ref 201",
    ]);
    expect(await freshLocks.get("production")).toMatchObject({
      holder: "maintainer",
      reason: "deploying 1.2.0 to production",
    });
    expect(await freshLocks.acquire(lock("production"))).toMatchObject({ kind: "held" });
  });
});
