import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor, startReceiver } from "./helpers.js";

let sandbox: GitHubSandbox;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "ml" };

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      { branch: "main", message: "Initial commit", files: { "README.md": "# ML\n", "svc/a.txt": "one\n" } },
      { branch: "develop", message: "feat: add b", files: { "svc/b.txt": "two\n" } },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("git database through the REST API", () => {
  it("creates blob, tree, commit and ref, then reads the file back", async () => {
    const main = await gh.rest.git.getRef({ ...repo, ref: "heads/main" });
    const base = await gh.rest.git.getCommit({ ...repo, commit_sha: main.data.object.sha });
    const blob = await gh.rest.git.createBlob({ ...repo, content: "version = 1.2.0\n", encoding: "utf-8" });
    const tree = await gh.rest.git.createTree({
      ...repo,
      base_tree: base.data.tree.sha,
      tree: [
        { path: "svc/version.txt", mode: "100644", type: "blob", sha: blob.data.sha },
        { path: "CHANGELOG.md", mode: "100644", type: "blob", content: "## 1.2.0\n" },
        { path: "svc/a.txt", mode: "100644", type: "blob", sha: null },
      ],
    });
    const commit = await gh.rest.git.createCommit({
      ...repo,
      message: "chore: release 1.2.0",
      tree: tree.data.sha,
      parents: [base.data.sha],
    });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([base.data.sha]);
    const ref = await gh.rest.git.createRef({
      ...repo,
      ref: "refs/heads/release/v1.2.0",
      sha: commit.data.sha,
    });
    expect(ref.status).toBe(201);
    await expect(
      gh.rest.git.createRef({ ...repo, ref: "refs/heads/release/v1.2.0", sha: commit.data.sha }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Reference already exists"),
    });

    const file = await gh.rest.repos.getContent({ ...repo, path: "svc/version.txt", ref: "release/v1.2.0" });
    const data = file.data as { content: string; sha: string };
    expect(Buffer.from(data.content, "base64").toString()).toBe("version = 1.2.0\n");
    await expect(
      gh.rest.repos.getContent({ ...repo, path: "svc/a.txt", ref: "release/v1.2.0" }),
    ).rejects.toMatchObject({ status: 404 });
    const dir = await gh.rest.repos.getContent({ ...repo, path: "svc", ref: "release/v1.2.0" });
    expect((dir.data as { name: string }[]).map((e) => e.name)).toEqual(["version.txt"]);
    await expect(
      gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...repo,
        path: "svc/version.txt",
        ref: "release/v1.2.0",
        headers: { "if-none-match": `"${data.sha}"` },
      }),
    ).rejects.toMatchObject({ status: 304 });
    expect(await sandbox.getFile("acme/ml", "release/v1.2.0", "CHANGELOG.md")).toBe("## 1.2.0\n");

    const recursive = await gh.rest.git.getTree({ ...repo, tree_sha: tree.data.sha, recursive: "1" });
    expect(
      recursive.data.tree
        .filter((e) => e.type === "blob")
        .map((e) => e.path)
        .sort(),
    ).toEqual(["CHANGELOG.md", "README.md", "svc/version.txt"]);
  });

  it("updates refs only fast-forward unless forced, and deletes them", async () => {
    const develop = await sandbox.getRef("acme/ml", "develop");
    const main = await sandbox.getRef("acme/ml", "main");
    await gh.rest.git.createRef({ ...repo, ref: "refs/heads/tmp", sha: develop! });
    await expect(gh.rest.git.updateRef({ ...repo, ref: "heads/tmp", sha: main! })).rejects.toMatchObject({
      status: 422,
    });
    const forced = await gh.rest.git.updateRef({ ...repo, ref: "heads/tmp", sha: main!, force: true });
    expect(forced.data.object.sha).toBe(main);
    await gh.rest.git.deleteRef({ ...repo, ref: "heads/tmp" });
    await expect(gh.rest.git.getRef({ ...repo, ref: "heads/tmp" })).rejects.toMatchObject({ status: 404 });
  });

  it("moves a ref without force only from where it was: of two moves from one place, one is refused", async () => {
    const main = (await sandbox.getRef("acme/ml", "main"))!;
    await gh.rest.git.createRef({ ...repo, ref: "refs/release-pilot/watch/race", sha: main });
    const { data: base } = await gh.rest.git.getCommit({ ...repo, commit_sha: main });
    const child = async (message: string) =>
      (await gh.rest.git.createCommit({ ...repo, message, tree: base.tree.sha, parents: [main] })).data.sha;
    const [a, b] = [await child("a"), await child("b")];
    const moves = await Promise.allSettled(
      [a, b].map((sha) =>
        gh.rest.git.updateRef({ ...repo, ref: "release-pilot/watch/race", sha, force: false }),
      ),
    );
    const refused = moves.filter((m) => m.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      status: 422,
      message: expect.stringContaining("Update is not a fast forward"),
    });
    const won = moves.findIndex((m) => m.status === "fulfilled");
    expect(await sandbox.getRef("acme/ml", "refs/release-pilot/watch/race")).toBe([a, b][won]);
  });

  it("creates annotated tags and lists matching refs", async () => {
    const main = (await sandbox.getRef("acme/ml", "main"))!;
    const tag = await gh.rest.git.createTag({
      ...repo,
      tag: "v1.0.0",
      message: "Release v1.0.0",
      object: main,
      type: "commit",
      tagger: { name: "pilot", email: "p@example.test", date: "2026-01-01T00:00:00Z" },
    });
    await gh.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: tag.data.sha });
    const refs = await gh.rest.git.listMatchingRefs({ ...repo, ref: "tags/v1" });
    expect(refs.data.map((r) => r.ref)).toEqual(["refs/tags/v1.0.0"]);
    expect(refs.data[0]!.object.type).toBe("tag");
    expect(await sandbox.getTag("acme/ml", "v1.0.0")).toEqual({
      commit: main,
      annotated: { tag: "v1.0.0", message: "Release v1.0.0\n", tagger: "pilot" },
    });
    const read = await gh.rest.git.getTag({ ...repo, tag_sha: tag.data.sha });
    expect(read.data.object.sha).toBe(main);
  });

  it("compares branches with real ahead/behind counts and files", async () => {
    const cmp = await gh.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...develop" });
    expect(cmp.data.status).toBe("ahead");
    expect(cmp.data.ahead_by).toBe(1);
    expect(cmp.data.behind_by).toBe(0);
    expect(cmp.data.commits.map((c) => c.commit.message)).toEqual(["feat: add b"]);
    expect(cmp.data.files?.map((f) => [f.filename, f.status])).toEqual([["svc/b.txt", "added"]]);
    const commits = await gh.rest.repos.listCommits({ ...repo, sha: "develop", path: "svc/b.txt" });
    expect(commits.data.map((c) => c.commit.message)).toEqual(["feat: add b"]);
    const one = await gh.rest.repos.getCommit({ ...repo, ref: commits.data[0]!.sha });
    expect(one.data.files?.map((f) => f.filename)).toEqual(["svc/b.txt"]);
  });

  it("merges: 201 with a merge commit, 204 when nothing to merge, 409 on conflict", async () => {
    await sandbox.pushCommit("acme/ml", "alice", "main", "fix: readme", { "README.md": "# ML main\n" });
    const merged = await gh.rest.repos.merge({ ...repo, base: "develop", head: "main" });
    expect(merged.status).toBe(201);
    expect(merged.data.parents).toHaveLength(2);
    const again = await gh.rest.repos.merge({ ...repo, base: "develop", head: "main" });
    expect(again.status).toBe(204);
    await sandbox.pushCommit("acme/ml", "alice", "main", "docs: main side", { "README.md": "# main side\n" });
    await sandbox.pushCommit("acme/ml", "bob", "develop", "docs: develop side", {
      "README.md": "# develop side\n",
    });
    await expect(gh.rest.repos.merge({ ...repo, base: "develop", head: "main" })).rejects.toMatchObject({
      status: 409,
    });
  });

  it("answers unknown operations loudly and keeps the exchange valid", async () => {
    await expect(gh.request("GET /repos/{owner}/{repo}/not-a-thing", repo)).rejects.toMatchObject({
      status: 501,
    });
    const v = sandbox.violations.splice(0);
    expect(v).toEqual([expect.stringContaining("GET /repos/acme/ml/not-a-thing")]);
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});

describe("refs outside branches and tags", () => {
  it("move without a push webhook, as on GitHub", async () => {
    const receiver = await startReceiver("k");
    const watched = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
    try {
      await watched.createRepo({
        owner: "acme",
        name: "refs",
        history: [{ branch: "main", message: "Initial commit", files: { "README.md": "# R\n" } }],
      });
      await watched.settled();
      const before = watched.deliveries.length;
      const api = octokitFor(watched.url);
      const at = { owner: "acme", repo: "refs" };
      const main = await api.rest.git.getRef({ ...at, ref: "heads/main" });
      const sha = main.data.object.sha;
      await api.rest.git.createRef({ ...at, ref: "refs/release-pilot/locks/staging", sha });
      await api.rest.git.deleteRef({ ...at, ref: "release-pilot/locks/staging" });
      await api.rest.git.createRef({ ...at, ref: "refs/heads/feature/x", sha });
      await watched.settled();
      const events = watched.deliveries.slice(before);
      expect(events.filter((d) => JSON.stringify(d.payload).includes("release-pilot/locks"))).toEqual([]);
      expect(events.filter((d) => d.event === "create" || d.event === "push").map((d) => d.event)).toEqual([
        "create",
        "push",
      ]);
    } finally {
      await watched.close();
      await receiver.close();
    }
  });
});

describe("creating one ref from several clients at once", () => {
  it("creates it once: every other create answers 422 and the ref keeps the winner's commit", async () => {
    const main = await gh.rest.git.getRef({ ...repo, ref: "heads/main" });
    const base = await gh.rest.git.getCommit({ ...repo, commit_sha: main.data.object.sha });
    const commits = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        gh.rest.git.createCommit({ ...repo, message: `claim ${i}`, tree: base.data.tree.sha, parents: [] }),
      ),
    );
    const results = await Promise.allSettled(
      commits.map((c) =>
        gh.rest.git.createRef({ ...repo, ref: "refs/release-pilot/locks/race", sha: c.data.sha }),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [commits[i]!.data.sha] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ status: 422 });
    const ref = await gh.rest.git.getRef({ ...repo, ref: "release-pilot/locks/race" });
    expect(ref.data.object.sha).toBe(won[0]);
  });
});
