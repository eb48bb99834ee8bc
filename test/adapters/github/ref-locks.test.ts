import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubRefLocks } from "../../../src/adapters/github/ref-locks.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import { LOCK_TREE_FILE, LOCK_TREE_TEXT } from "../../../src/adapters/github/lock-tree.js";
import { renderLockMessage } from "../../../src/domain/deploy/lock-message.js";
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

describe("a deploy's lock: one ref onto an existing commit", () => {
  const deployLock = (env: string) => ({
    env,
    holder: "maintainer",
    reason: "deploying 1.2.0",
    since: "2026-01-01T00:00:00.000Z",
    kind: "deploy" as const,
  });
  const operations = async (run: () => Promise<unknown>) => {
    const before = sandbox.requests.length;
    await run();
    return sandbox.requests.slice(before).map((r) => `${r.operationId ?? r.path} ${r.status}`);
  };

  it("is taken with one write, points at the commit named, and is refused to a second taker", async () => {
    const main = await sandbox.getRef("acme/ml", "heads/main");
    let taken: unknown;
    const ops = await operations(async () => {
      taken = await locks.acquire(deployLock("qa"), { onto: "main" });
    });
    // One read of the commit `main` names, then the ref: no commit, no tree.
    expect(ops).toEqual(["repos/get-commit 200", "git/create-ref 201"]);
    expect(taken).toEqual({ kind: "acquired", at: main });
    expect(await sandbox.getRef("acme/ml", "refs/release-pilot/locks/qa")).toBe(main);
    // Read back, only the commit is known: the holder is in the Deployment record (stale-lock.ts).
    expect(await locks.get("qa")).toEqual({
      env: "qa",
      holder: "",
      reason: "",
      since: "",
      kind: "deploy",
      at: main,
    });
    expect(await locks.acquire(deployLock("qa"), { onto: "main" })).toMatchObject({
      kind: "held",
      lock: { at: main, holder: "" },
    });
    expect((await locks.list()).find((l) => l.env === "qa")).toMatchObject({ at: main });
    expect(await locks.release("qa")).toBe(true);
    expect(await locks.get("qa")).toBeUndefined();
  });

  it("of several takers at the same moment, exactly one holds it", async () => {
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((who) =>
        locks.acquire({ ...deployLock("race"), holder: who }, { onto: "main" }),
      ),
    );
    expect(results.filter((r) => r.kind === "acquired")).toHaveLength(1);
    await locks.release("race");
  });

  it("a lock written as a commit before this form (an installed repository's) is still read and released", async () => {
    // What earlier versions wrote for every lock: a parentless commit on the lock tree whose
    // message is the lock, and the ref onto it.
    const octokit = octokitFor(sandbox.url) as unknown as Octokit;
    const { data: tree } = await octokit.rest.git.createTree({
      ...repo,
      tree: [{ path: LOCK_TREE_FILE, mode: "100644", type: "blob", content: LOCK_TREE_TEXT }],
    });
    const old = deployLock("legacy");
    const { data: commit } = await octokit.rest.git.createCommit({
      ...repo,
      message: renderLockMessage(old),
      tree: tree.sha,
      parents: [],
    });
    await octokit.rest.git.createRef({ ...repo, ref: "refs/release-pilot/locks/legacy", sha: commit.sha });
    expect(await locks.get("legacy")).toEqual(old);
    expect(await locks.acquire(deployLock("legacy"), { onto: "main" })).toEqual({ kind: "held", lock: old });
    expect((await locks.list()).find((l) => l.env === "legacy")).toEqual(old);
    expect(await locks.release("legacy")).toBe(true);
    expect(await locks.acquire(deployLock("legacy"), { onto: "main" })).toMatchObject({ kind: "acquired" });
    await locks.release("legacy");
  });
});
