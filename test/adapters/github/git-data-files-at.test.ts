import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { PAIRS_PER_QUERY } from "../../../src/adapters/github/files-at-refs.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";

let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "ml" };

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "v1",
        files: {
          "api.py": "old\n",
          "model.bin": "\0weights-1",
          "data/big.csv": "id\n1\n",
          "docs/a.md": "a\n",
        },
      },
    ],
  });
  const gh = octokitFor(sandbox.url);
  const { data: main } = await gh.rest.repos.getBranch({ ...repo, branch: "main" });
  await gh.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha: main.commit.sha });
  await sandbox.pushCommit("acme/ml", "maintainer", "main", "v2", {
    "api.py": "new\n",
    "model.bin": "\0weights-2",
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("GitHubGitData.readFilesAt", () => {
  it("reads the same paths at several refs in one GraphQL request: texts, binary ones by blob only, absent ones", async () => {
    const git = new GitHubGitData(octokitFor(sandbox.url), repo);
    const before = sandbox.requests.length;
    const [tagged, main] = await git.readFilesAt(
      ["refs/tags/v1.0.0", "main"],
      ["api.py", "model.bin", "gone.txt", "docs"],
    );
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(["graphql"]);
    expect(tagged?.get("api.py")).toMatchObject({ text: "old\n" });
    expect(main?.get("api.py")).toMatchObject({ text: "new\n" });
    expect(tagged?.get("api.py")?.oid).not.toBe(main?.get("api.py")?.oid);
    expect(tagged?.get("model.bin")).toEqual({ oid: expect.any(String), unreadable: "binary" });
    expect(tagged?.get("model.bin")?.oid).not.toBe(main?.get("model.bin")?.oid);
    // Absent, and a directory: no file there.
    expect(main?.has("gone.txt")).toBe(true);
    expect(main?.get("gone.txt")).toBeUndefined();
    expect(main?.get("docs")).toBeUndefined();
    expect(sandbox.violations).toEqual([]);
  });

  it("asks at most PAIRS_PER_QUERY files a request, whatever the number of refs and paths", async () => {
    const git = new GitHubGitData(octokitFor(sandbox.url), repo);
    const paths = Array.from({ length: 120 }, (_, i) => `missing/${i}.txt`);
    const before = sandbox.requests.length;
    const read = await git.readFilesAt(["refs/tags/v1.0.0", "main"], paths);
    expect(sandbox.requests.length - before).toBe(Math.ceil((2 * paths.length) / PAIRS_PER_QUERY));
    expect(read.every((m) => m.size === paths.length && [...m.values()].every((f) => f === undefined))).toBe(
      true,
    );
  });
});

describe("GitHubGitData.snapshotTree named by a commit", () => {
  it("lists the commit's tree as its tree SHA would list it (a PR's head, as the checklist names it)", async () => {
    const gh = octokitFor(sandbox.url);
    const { data: main } = await gh.rest.repos.getBranch({ ...repo, branch: "main" });
    const git = new GitHubGitData(gh, repo);
    const wanted = {
      reach: { starts: [{ dir: "", levels: 2 }], levelsOf: (dir: string) => (dir === "docs" ? 1 : 0) },
      pick: () => ["api.py"],
    };
    const byCommit = await git.snapshotTree(main.commit.sha, wanted);
    const byTree = await git.snapshotTree(main.commit.commit.tree.sha, wanted);
    expect(byCommit.list().sort()).toEqual(["api.py", "docs/a.md", "model.bin"]);
    expect(byCommit.list().sort()).toEqual(byTree.list().sort());
    expect(byCommit.read("api.py")).toBe("new\n");
    expect(byCommit.unwalked ?? []).toEqual([]);
  });
});
