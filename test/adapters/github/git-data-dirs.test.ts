import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { chunkCommits, MAX_HISTORIES_PER_QUERY } from "../../../src/adapters/github/dirs-touched-query.js";
import { releaseFilesWanted } from "../../../src/domain/release/release-reads.js";
import { defaultConfig } from "../../../src/config/schema.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";

let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "ml" };
const dirs = ["services/bankchurn", "services/telecom", "services/nlp"];

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: { "README.md": "# ML\n", "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n" },
      },
      { branch: "main", message: "feat: batch", files: { "services/bankchurn/app.py": "a\n" } },
      { branch: "main", message: "docs: readme", files: { "README.md": "# ML!\n" } },
      {
        branch: "main",
        message: "fix: two services",
        files: { "services/telecom/app.py": "t\n", "services/nlp/app.py": "n\n" },
      },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("which service directories each commit touched, in one GraphQL request", () => {
  it("answers per commit, validated against GitHub's GraphQL schema, with one request", async () => {
    const gh = octokitFor(sandbox.url);
    const { data: commits } = await gh.rest.repos.listCommits({ ...repo, sha: "main" });
    const [twoServices, readme, batch] = commits.map((c) => c.sha);
    const repository = new GitHubGitData(gh, repo);
    const before = sandbox.requests.length;
    const touched = await repository.dirsTouched([batch!, readme!, twoServices!], dirs);
    expect(touched.get(batch!)).toEqual(["services/bankchurn"]);
    expect(touched.get(readme!)).toEqual([]);
    expect(touched.get(twoServices!)).toEqual(["services/telecom", "services/nlp"]);
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(["graphql"]);
    expect(sandbox.violations).toEqual([]);
  });

  it("reports a query that GitHub's schema would refuse as a violation", async () => {
    const gh = octokitFor(sandbox.url);
    await expect(gh.graphql(`query { repository(owner: "acme", name: "ml") { nope } }`)).rejects.toThrow(
      /Cannot query field "nope"/,
    );
    expect(sandbox.violations.splice(0)).toEqual([
      expect.stringContaining('GraphQL query invalid against GitHub\'s schema: Cannot query field "nope"'),
    ]);
  });

  it("splits many commits into requests of bounded size", () => {
    const shas = Array.from({ length: 400 }, (_, i) => String(i).padStart(40, "0"));
    const chunks = chunkCommits(shas, 30);
    expect(chunks.flat()).toEqual(shas);
    for (const chunk of chunks) expect(chunk.length * 30).toBeLessThanOrEqual(MAX_HISTORIES_PER_QUERY);
    expect(chunkCommits(shas.slice(0, 3), 3)).toEqual([shas.slice(0, 3)]);
  });
});

describe("the paths asked with the files of a tree (snapshotTree's `touched`)", () => {
  const headOf = async () => {
    const gh = octokitFor(sandbox.url);
    const { data: commits } = await gh.rest.repos.listCommits({ ...repo, sha: "main" });
    const { data: branch } = await gh.rest.repos.getBranch({ ...repo, branch: "main" });
    return { gh, shas: commits.map((c) => c.sha), tree: branch.commit.commit.tree.sha };
  };

  it("rides in the same GraphQL request as the CHANGELOG, after the listing of the tree", async () => {
    const { gh, shas, tree } = await headOf();
    const [twoServices, readme, batch] = shas;
    const seen: string[][] = [];
    const before = sandbox.requests.length;
    const snapshot = await new GitHubGitData(gh, repo).snapshotTree(
      tree,
      releaseFilesWanted(defaultConfig().release),
      (paths) => {
        seen.push([...paths]);
        return { shas: [batch!, readme!, twoServices!], dirs };
      },
    );
    // Two listings (the root two levels deep, then the services found there; projects are
    // discovered) and one query for the CHANGELOG and the path lookups together.
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual([
      "graphql",
      "graphql",
      "graphql",
    ]);
    expect(sandbox.violations).toEqual([]);
    // The callback is given the tree's paths, once.
    expect(seen).toEqual([expect.arrayContaining(["CHANGELOG.md", "services/nlp/app.py"])]);
    expect(snapshot.read("CHANGELOG.md")).toBe("# Changelog\n\n## [Unreleased]\n");
    expect(snapshot.touched?.get(batch!)).toEqual(["services/bankchurn"]);
    expect(snapshot.touched?.get(readme!)).toEqual([]);
    expect(snapshot.touched?.get(twoServices!)).toEqual(["services/telecom", "services/nlp"]);
  });

  it("is asked alone when no file is read, and not at all when the callback asks nothing", async () => {
    const { gh, shas, tree } = await headOf();
    // Only the root is listed, and nothing is read.
    const nothing = { reach: { starts: [{ dir: "", levels: 1 }], levelsOf: () => 0 }, pick: () => [] };
    const git = new GitHubGitData(gh, repo);
    let before = sandbox.requests.length;
    const alone = await git.snapshotTree(tree, nothing, () => ({ shas: [shas[2]!], dirs }));
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(["graphql", "graphql"]);
    expect(alone.touched?.get(shas[2]!)).toEqual(["services/bankchurn"]);
    expect(alone.list()).toEqual(["CHANGELOG.md", "README.md"]);
    before = sandbox.requests.length;
    const none = await git.snapshotTree(tree, nothing, () => undefined);
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(["graphql"]);
    expect(none.touched).toEqual(new Map());
  });

  it("asks the commits one chunk holds with the files and the rest in requests of bounded size", async () => {
    const { gh, shas, tree } = await headOf();
    // 300 directories: a chunk holds one commit (MAX_HISTORIES_PER_QUERY / 300), so the four
    // commits are one chunk riding with the CHANGELOG and three requests of their own, after
    // the tree's two listings.
    const many = [...dirs, ...Array.from({ length: 297 }, (_, i) => `lib/part-${i}`)];
    const before = sandbox.requests.length;
    const snapshot = await new GitHubGitData(gh, repo).snapshotTree(
      tree,
      releaseFilesWanted(defaultConfig().release),
      () => ({ shas, dirs: many }),
    );
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(Array(6).fill("graphql"));
    expect(sandbox.violations).toEqual([]);
    expect(snapshot.read("CHANGELOG.md")).toContain("## [Unreleased]");
    expect(snapshot.touched?.get(shas[0]!)).toEqual(["services/telecom", "services/nlp"]);
    expect(snapshot.touched?.get(shas[2]!)).toEqual(["services/bankchurn"]);
    expect(snapshot.touched?.get(shas[3]!)).toEqual([]);
  });
});
