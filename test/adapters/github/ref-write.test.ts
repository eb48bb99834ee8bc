// 422 means many things on a ref write (https://docs.github.com/en/rest/git/refs#create-a-reference):
// the adapters tell "Reference already exists" (someone holds the lock, made the branch or the tag)
// from GitHub's intermittent "Reference update failed" (retried), a ruleset's restriction
// (reported with what to do) and a missing object, each injected into the sandbox by name.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { GitHubRefLocks } from "../../../src/adapters/github/ref-locks.js";
import type { EnvironmentLock } from "../../../src/domain/deploy/lock-message.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import { refRefusalOf, writeRef } from "../../../src/adapters/github/ref-write.js";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { RefRefusedError } from "../../../src/ports/ref-refused.js";
import { octokitFor } from "../../sandbox/github/helpers.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../../sandbox/github/index.js";

let sandbox: GitHubSandbox;
let octokit: Octokit;
let main: string;
const repo = { owner: "acme", repo: "ml" };
const REFS = "/repos/acme/ml/git/refs";

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [{ branch: "main", message: "Initial commit", files: { "README.md": "# ML\n" } }],
  });
  octokit = octokitFor(sandbox.url) as unknown as Octokit;
  main = (await sandbox.getRef("acme/ml", "heads/main"))!;
});

beforeEach(() => sandbox.faults.clear());

afterAll(async () => {
  await sandbox.close();
});

/** A RequestError-like 422 with GitHub's body, as Octokit throws it. */
const answered = (message: string) =>
  Object.assign(new Error(message), { status: 422, response: { data: { message } } });

describe("refRefusalOf", () => {
  it.each([
    ["Reference already exists", "exists"],
    ["Update is not a fast forward", "not-fast-forward"],
    ["Reference does not exist", "missing-ref"],
    ["Object does not exist", "missing-object"],
    ["Reference update failed", "update-failed"],
    [
      "Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n",
      "restricted",
    ],
    ["Repository rule violations found\n\nCannot update this protected ref.\n\n", "restricted"],
    [
      'Protected branch update failed for refs/heads/main.\n\nRequired status check "ci" is expected.',
      "protected",
    ],
    ["Validation Failed", "other"],
  ])("reads %j as %s", (message, kind) => {
    expect(refRefusalOf(answered(message))).toBe(kind);
  });

  it("leaves other statuses alone", () => {
    expect(refRefusalOf(Object.assign(new Error("Not Found"), { status: 404 }))).toBeUndefined();
    expect(refRefusalOf(new Error("socket hang up"))).toBeUndefined();
  });
});

describe("writeRef", () => {
  it("retries GitHub's intermittent failure, then gives up with what to do", async () => {
    let calls = 0;
    const flaky = () => {
      calls += 1;
      return calls < 3 ? Promise.reject(answered("Reference update failed")) : Promise.resolve("written");
    };
    await expect(writeRef("refs/heads/x", ["exists"], flaky, { backoffMs: 1 })).resolves.toEqual({
      ok: "written",
    });
    expect(calls).toBe(3);
    const never = () => Promise.reject(answered("Reference update failed"));
    const error = await writeRef("refs/heads/x", ["exists"], never, { backoffMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RefRefusedError);
    expect(error).toMatchObject({ kind: "update-failed", ref: "refs/heads/x" });
    expect((error as Error).message).toContain("3 attempts");
    expect((error as Error).message).toContain("run it again");
  });
});

describe("the adapters against the sandbox's refusals", () => {
  it("a release branch: created after one intermittent failure; a ruleset's refusal is reported, not 'exists'", async () => {
    const releases = new GitHubGitData(octokit, repo);
    sandbox.faults.add({ method: "POST", path: REFS, refusal: "reference-update-failed", times: 1 });
    expect(await releases.createBranch("release/v1.2.0", main)).toBe("created");
    expect(await sandbox.getRef("acme/ml", "heads/release/v1.2.0")).toBe(main);
    expect(await releases.createBranch("release/v1.2.0", main)).toBe("exists");

    sandbox.faults.add({ method: "POST", path: REFS, refusal: "creations-restricted" });
    const error = await releases.createBranch("release/v1.3.0", main).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefRefusedError);
    expect(error).toMatchObject({ kind: "restricted", ref: "refs/heads/release/v1.3.0" });
    expect((error as Error).message).toContain("Cannot create ref due to creations being restricted.");
    expect((error as Error).message).toContain("bypass list");
  });

  it("a tag: 'exists' only when the ref exists; a missing object is not a tag 'elsewhere'", async () => {
    const ship = new GitHubGitData(octokit, repo);
    expect(await ship.createAnnotatedTag("v1.0.0", "Release 1.0.0", main)).toBe("created");
    expect(await ship.createAnnotatedTag("v1.0.0", "Release 1.0.0", main)).toBe("exists");
    sandbox.faults.add({ method: "POST", path: REFS, refusal: "object-missing", times: 1 });
    await expect(ship.createAnnotatedTag("v1.0.1", "Release 1.0.1", main)).rejects.toMatchObject({
      name: "RefRefusedError",
      kind: "missing-object",
    });
  });

  it("a branch that moved is 'moved'; a ruleset on updates is reported", async () => {
    const ship = new GitHubGitData(octokit, repo);
    sandbox.faults.add({
      method: "PATCH",
      path: /\/git\/refs\/heads(\/|%2F)main$/,
      refusal: "updates-restricted",
    });
    await expect(ship.advanceBranch("main", main)).rejects.toMatchObject({ kind: "restricted" });
    sandbox.faults.clear();
    sandbox.faults.add({
      method: "PATCH",
      path: /\/git\/refs\/heads(\/|%2F)main$/,
      refusal: "not-fast-forward",
    });
    expect(await ship.advanceBranch("main", main)).toBe("moved");
  });

  it("a lock refused by a ruleset is never read as a lock held by nobody", async () => {
    const locks = new GitHubRefLocks(octokit, repo);
    const lock: EnvironmentLock = {
      env: "production",
      holder: "alice",
      reason: "deploy v1.2.0",
      since: "2025-01-15T10:00:00Z",
      kind: "deploy",
    };
    sandbox.faults.add({ method: "POST", path: REFS, refusal: "creations-restricted" });
    await expect(locks.acquire(lock)).rejects.toMatchObject({ kind: "restricted" });
    sandbox.faults.clear();
    sandbox.faults.add({ method: "POST", path: REFS, refusal: "reference-update-failed", times: 1 });
    expect(await locks.acquire(lock)).toEqual({ kind: "acquired" });
    expect(await locks.acquire(lock)).toEqual({ kind: "held", lock });
  });
});
