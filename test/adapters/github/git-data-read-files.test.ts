import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import {
  MAX_BLOBS_READ,
  MAX_FILE_BYTES,
  MAX_TREE_REQUESTS,
} from "../../../src/adapters/github/read-tree-files.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import { releaseFilesWanted } from "../../../src/domain/release/release-reads.js";
import { defaultConfig } from "../../../src/config/schema.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";

let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "ml" };
const release = defaultConfig().release;

const csv = (rows: number) =>
  ["id,feature,label", ...Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 13},${i % 2}`)].join("\n");

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: {
          "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2025-01-01\n",
          "services/churn/pyproject.toml":
            '[project]\nname = "churn"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/churn/about.py"\n',
          "services/churn/src/churn/about.py": '__version__ = "1.0.0"\n',
          "services/churn/src/churn/__init__.py": "",
          "services/churn/Dockerfile": "FROM python:3.12\n",
          "services/web/package.json": '{ "name": "web", "version": "1.0.0" }\n',
          "services/web/node_modules/left-pad/package.json": '{ "name": "left-pad", "version": "9.9.9" }\n',
          // Data files as ML repositories commit them: never read by a release.
          "data/raw/train.csv": csv(20_000),
          "data/raw/test.csv": csv(5_000),
          ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`data/shards/part-${i}.csv`, csv(50)])),
        },
      },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("reading a tree's paths and only the files a release reads", () => {
  it("lists the tree once and reads the picked files in GraphQL requests, never the data files", async () => {
    const gh = octokitFor(sandbox.url);
    const git = new GitHubGitData(gh, repo);
    const { data: branch } = await gh.rest.repos.getBranch({ ...repo, branch: "main" });
    const before = sandbox.requests.length;
    const tree = await git.snapshotTree(branch.commit.commit.tree.sha, releaseFilesWanted(release));
    const calls = sandbox.requests.slice(before).map((r) => r.operationId);
    // One listing, then a round for the pyproject and package files and one for the file the
    // pyproject's dynamic version names.
    expect(calls).toEqual(["git/get-tree", "graphql", "graphql"]);
    expect(sandbox.violations).toEqual([]);
    expect(tree.list()).toContain("data/raw/train.csv");
    expect(tree.list()).toContain("services/web/node_modules/left-pad/package.json");
    expect(tree.read("services/churn/src/churn/about.py")).toBe('__version__ = "1.0.0"\n');
    expect(tree.read("services/web/package.json")).toContain('"version": "1.0.0"');
    expect(tree.read("CHANGELOG.md")).toContain("## [1.0.0]");
    expect(tree.read("data/raw/train.csv")).toBeUndefined();
    expect(tree.read("services/web/node_modules/left-pad/package.json")).toBeUndefined();
  });
});

/**
 * A GitHub that truncates recursive listings of large trees, as https://docs.github.com/en/rest/git/trees#get-a-tree
 * documents (over 100,000 entries or 7 MB): here, any recursive listing of a tree with more than
 * `limit` entries below it answers `truncated: true` with a part of them; a one-level listing is whole.
 */
const truncatingGitHub = (limit: number) => {
  // tree sha → its direct entries
  const trees: Record<string, { path: string; type: "blob" | "tree"; sha: string; size?: number }[]> = {
    root: [
      { path: "CHANGELOG.md", type: "blob", sha: "b-changelog", size: 40 },
      { path: "package.json", type: "blob", sha: "b-root-package", size: 40 },
      { path: "data", type: "tree", sha: "t-data" },
      { path: "node_modules", type: "tree", sha: "t-modules" },
      { path: "services", type: "tree", sha: "t-services" },
    ],
    "t-data": Array.from({ length: 50 }, (_, i) => ({
      path: `part-${i}.csv`,
      type: "blob" as const,
      sha: `b-data-${i}`,
      size: 1000,
    })),
    "t-modules": [{ path: "dep", type: "tree", sha: "t-dep" }],
    "t-dep": [{ path: "package.json", type: "blob", sha: "b-dep", size: 30 }],
    "t-services": [{ path: "api", type: "tree", sha: "t-api" }],
    "t-api": [
      { path: "pyproject.toml", type: "blob", sha: "b-api", size: 40 },
      { path: "model.bin", type: "blob", sha: "b-model", size: MAX_FILE_BYTES + 1 },
    ],
  };
  const blobs: Record<string, string> = {
    "b-changelog": "# Changelog\n\n## [1.0.0] - 2025-01-01\n",
    "b-root-package": '{ "name": "root", "private": true, "version": "0.0.0" }\n',
    "b-api": '[project]\nname = "api"\nversion = "1.0.0"\n',
  };
  const recursive = (sha: string, prefix = ""): { path: string; type: string; sha: string }[] =>
    (trees[sha] ?? []).flatMap((e) => [
      { ...e, path: prefix + e.path },
      ...(e.type === "tree" ? recursive(e.sha, `${prefix}${e.path}/`) : []),
    ]);
  const listed: string[] = [];
  const blobQueries: string[][] = [];
  const octokit = {
    rest: {
      git: {
        getTree: ({ tree_sha, recursive: r }: { tree_sha: string; recursive?: string }) => {
          listed.push(`${tree_sha}${r ? " recursive" : ""}`);
          if (!r)
            return Promise.resolve({ data: { sha: tree_sha, truncated: false, tree: trees[tree_sha] } });
          const all = recursive(tree_sha);
          const truncated = all.length > limit;
          return Promise.resolve({ data: { sha: tree_sha, truncated, tree: all.slice(0, limit) } });
        },
      },
    },
    graphql: (_query: string, variables: Record<string, string>) => {
      const asked = Object.entries(variables).filter(([k]) => /^b\d+$/.test(k));
      blobQueries.push(asked.map(([, sha]) => sha));
      const repository = Object.fromEntries(
        asked.map(([k, sha]) => [
          k,
          { text: blobs[sha] ?? null, byteSize: (blobs[sha] ?? "").length, isTruncated: false },
        ]),
      );
      return Promise.resolve({ repository });
    },
  } as unknown as Octokit;
  return { octokit, listed, blobQueries };
};

describe("a tree GitHub lists truncated", () => {
  it("is listed again by sub-tree, skipping dependency directories, and reads only the wanted files", async () => {
    const gh = truncatingGitHub(20);
    const git = new GitHubGitData(gh.octokit, repo);
    const tree = await git.snapshotTree("root", releaseFilesWanted(release));
    expect(gh.listed).toEqual([
      "root recursive",
      "root",
      "t-data recursive",
      "t-data",
      "t-services recursive",
    ]);
    expect(tree.list()).toEqual(
      expect.arrayContaining(["CHANGELOG.md", "services/api/pyproject.toml", "data/part-49.csv"]),
    );
    expect(tree.list()).not.toContain("node_modules/dep/package.json");
    expect(tree.read("services/api/pyproject.toml")).toContain('version = "1.0.0"');
    // The model file is above the cap: never asked for, and read as absent.
    expect(gh.blobQueries.flat()).not.toContain("b-model");
    expect(gh.blobQueries.flat().filter((s) => s.startsWith("b-data"))).toEqual([]);
  });

  it("refuses to go on past a bounded number of listings rather than plan on part of a tree", async () => {
    // A crafted tree: every directory holds another and every listing comes back truncated.
    let listings = 0;
    const octokit = {
      rest: {
        git: {
          getTree: () => {
            listings++;
            return Promise.resolve({
              data: { truncated: true, tree: [{ path: "d", type: "tree", sha: `t${listings}` }] },
            });
          },
        },
      },
      graphql: () => Promise.reject(new Error("no blob is read")),
    } as unknown as Octokit;
    const git = new GitHubGitData(octokit, repo);
    await expect(git.snapshotTree("root", releaseFilesWanted(release))).rejects.toThrow(/too large to list/);
    expect(listings).toBe(MAX_TREE_REQUESTS);
  });
});

describe("a tree crafted to make the release read many files", () => {
  it("reads at most MAX_BLOBS_READ blobs, 100 a request; the rest read as absent", async () => {
    // 3,000 packages each with an `__init__.py`: every one is a candidate version file of the root project.
    const inits = Array.from({ length: 3000 }, (_, i) => ({
      path: `pkg${i}/__init__.py`,
      type: "blob",
      sha: `b${i}`,
      size: 20,
    }));
    const queries: number[] = [];
    const octokit = {
      rest: {
        git: {
          getTree: () =>
            Promise.resolve({
              data: {
                truncated: false,
                tree: [{ path: "pyproject.toml", type: "blob", sha: "b-py", size: 40 }, ...inits],
              },
            }),
        },
      },
      graphql: (_query: string, variables: Record<string, string>) => {
        const asked = Object.keys(variables).filter((k) => /^b\d+$/.test(k));
        queries.push(asked.length);
        return Promise.resolve({
          repository: Object.fromEntries(
            asked.map((k) => [k, { text: '__version__ = "1.0.0"\n', byteSize: 20, isTruncated: false }]),
          ),
        });
      },
    } as unknown as Octokit;
    const tree = await new GitHubGitData(octokit, repo).snapshotTree("root", releaseFilesWanted(release));
    expect(queries.reduce((a, b) => a + b, 0)).toBe(MAX_BLOBS_READ);
    expect(Math.max(...queries)).toBeLessThanOrEqual(100);
    expect(tree.list()).toHaveLength(3001);
    expect(tree.read("pkg2999/__init__.py")).toBeUndefined();
  });
});
