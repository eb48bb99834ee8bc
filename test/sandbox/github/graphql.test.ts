// The sandbox's GraphQL as clients use it, checked against GitHub's GraphQL docs:
// pagination https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api,
// objects https://docs.github.com/en/graphql/reference/objects (Repository, Release, Commit,
// Blob, Tree, PullRequest).
// GraphQL answers are read as loose JSON and checked by value in each test.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "./helpers.js";

let sandbox: GitHubSandbox;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "ml" };
const vars = { owner: "acme", name: "ml" };
let featureMerge: string;
let featureCommits: string[];
let openPullCommit: string;

/** A query's data and errors, whether or not GitHub's answer carried errors. */
async function ask(query: string, variables: Record<string, unknown> = {}) {
  try {
    return { data: await gh.graphql<Record<string, any>>(query, { ...vars, ...variables }), errors: [] };
  } catch (error) {
    const e = error as { data?: Record<string, any>; errors?: { type?: string; message: string }[] };
    if (!e.errors) throw error;
    return { data: e.data ?? {}, errors: e.errors };
  }
}

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: { "README.md": "# ML\n", "svc/a.txt": "one\n", "model.bin": "\u0000\u0001weights" },
        date: "2024-01-01T00:00:00Z",
      },
      { branch: "main", message: "fix: a", files: { "svc/a.txt": "two\n" }, date: "2024-01-02T00:00:00Z" },
      {
        branch: "main",
        message: "docs: readme",
        files: { "README.md": "# ML!\n" },
        date: "2024-01-03T00:00:00Z",
      },
      { branch: "main", message: "feat: b", files: { "svc/b.txt": "b\n" }, date: "2024-01-04T00:00:00Z" },
    ],
  });
  sandbox.setPermission("acme/ml", "alice", "write");
  // A pull request of two commits merged with a merge commit, and one still open.
  await sandbox.pushCommit("acme/ml", "alice", "feature", "feat: c", { "svc/c.txt": "c\n" });
  await sandbox.pushCommit("acme/ml", "alice", "feature", "test: c", { "svc/c.test.txt": "t\n" });
  const merged = await sandbox.openPullRequest("acme/ml", "alice", {
    head: "feature",
    base: "main",
    title: "feat: c",
  });
  featureCommits = [(await sandbox.getRef("acme/ml", "feature"))!];
  featureCommits.push(
    (await gh.rest.git.getCommit({ ...repo, commit_sha: featureCommits[0]! })).data.parents[0]!.sha,
  );
  featureMerge = await sandbox.mergePullRequest("acme/ml", merged, "alice", "merge");
  openPullCommit = await sandbox.pushCommit("acme/ml", "alice", "wip", "feat: wip", { "svc/d.txt": "d\n" });
  await sandbox.openPullRequest("acme/ml", "alice", { head: "wip", base: "main", title: "wip" });
  for (const [tag, draft, prerelease] of [
    ["v1.0.0", false, false],
    ["v1.1.0-rc.1", false, true],
    ["v1.1.0", false, false],
    ["v2.0.0", true, false],
  ] as const) {
    await gh.rest.repos.createRelease({
      ...repo,
      tag_name: tag,
      name: tag,
      draft,
      prerelease,
      body: `notes ${tag}`,
    });
  }
  await sandbox.settled();
});

afterAll(async () => {
  await sandbox.close();
});

describe("repository.releases", () => {
  const query = `query($owner: String!, $name: String!, $after: String) {
    repository(owner: $owner, name: $name) {
      releases(first: 3, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
        totalCount
        nodes { name tagName url isDraft isPrerelease description tag { name } tagCommit { oid } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

  it("pages newest first with cursors, and a draft has no tag or tag commit yet", async () => {
    const first = await ask(query);
    expect(first.errors).toEqual([]);
    const page1 = first.data.repository.releases;
    expect(page1.totalCount).toBe(4);
    expect(page1.nodes.map((r: { tagName: string }) => r.tagName)).toEqual([
      "v2.0.0",
      "v1.1.0",
      "v1.1.0-rc.1",
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const [draft, latest, rc] = page1.nodes;
    expect(draft).toMatchObject({ isDraft: true, tag: null, tagCommit: null });
    expect(rc).toMatchObject({ isPrerelease: true, description: "notes v1.1.0-rc.1" });
    expect(latest).toMatchObject({
      tag: { name: "v1.1.0" },
      tagCommit: { oid: await sandbox.getRef("acme/ml", "tags/v1.1.0") },
      url: "https://github.com/acme/ml/releases/tag/v1.1.0",
    });
    const second = await ask(query, { after: page1.pageInfo.endCursor });
    const page2 = second.data.repository.releases;
    expect(page2.nodes.map((r: { tagName: string }) => r.tagName)).toEqual(["v1.0.0"]);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect(sandbox.violations).toEqual([]);
  });

  it("orders by NAME ascending when asked", async () => {
    const { data } = await ask(`query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        releases(last: 2, orderBy: {field: NAME, direction: ASC}) { nodes { name } pageInfo { hasPreviousPage hasNextPage } }
      }
    }`);
    expect(data.repository.releases).toEqual({
      nodes: [{ name: "v1.1.0-rc.1" }, { name: "v2.0.0" }],
      pageInfo: { hasPreviousPage: true, hasNextPage: false },
    });
  });

  it("refuses a connection without first/last, above 100, and a cursor it did not issue, as GitHub does", async () => {
    sandbox.violations.splice(0);
    const missing = await ask(`query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) { releases { nodes { name } } }
    }`);
    // `releases` is non-null in GitHub's schema, so the refusal nulls its parent (GraphQL spec
    // "Handling Field Errors"): the answer carries the error, not a partial page.
    expect(missing.data.repository).toBeNull();
    expect(missing.errors).toEqual([
      expect.objectContaining({
        type: "MISSING_PAGINATION_BOUNDARIES",
        path: ["repository", "releases"],
        message: "You must provide a `first` or `last` value to properly paginate the `releases` connection.",
      }),
    ]);
    const excessive = await ask(`query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) { releases(first: 101) { nodes { name } } }
    }`);
    expect(excessive.errors[0]).toMatchObject({
      type: "EXCESSIVE_PAGINATION",
      message:
        "Requesting 101 records on the `releases` connection exceeds the `first` limit of 100 records.",
    });
    const forged = Buffer.from("releases:1 0").toString("base64");
    const cursor = await ask(query, { after: forged });
    expect(cursor.errors[0]).toMatchObject({
      type: "INVALID_CURSOR_ARGUMENTS",
      message: `\`${forged}\` does not appear to be a valid cursor.`,
    });
    // A client that sends these has a bug GitHub would refuse: the sandbox records each.
    expect(sandbox.violations).toHaveLength(3);
    sandbox.violations.splice(0);
  });
});

describe("repository.ref(qualifiedName).target.history", () => {
  const query = `query($owner: String!, $name: String!, $ref: String!, $after: String, $path: String, $since: GitTimestamp) {
    repository(owner: $owner, name: $name) {
      ref(qualifiedName: $ref) {
        name prefix
        target {
          ... on Commit {
            history(first: 2, after: $after, path: $path, since: $since) {
              totalCount
              nodes {
                oid messageHeadline
                author { name email user { login } }
                associatedPullRequests(first: 5) { nodes { number state mergeCommit { oid } files(first: 10) { nodes { path } } } }
              }
              pageInfo { hasNextPage endCursor }
            }
          }
        }
      }
    }
  }`;

  async function walk(variables: Record<string, unknown>): Promise<any[]> {
    const seen: any[] = [];
    let after: string | undefined;
    for (;;) {
      const { data, errors } = await ask(query, { ...variables, after });
      expect(errors).toEqual([]);
      const history = data.repository.ref.target.history;
      seen.push(...history.nodes);
      if (!history.pageInfo.hasNextPage) return seen;
      after = history.pageInfo.endCursor;
    }
  }

  it("walks every commit once, in git log order, through a short name", async () => {
    const nodes = await walk({ ref: "main" });
    const log = (await gh.rest.repos.listCommits({ ...repo, sha: "main", per_page: 100 })).data.map(
      (c) => c.sha,
    );
    expect(nodes.map((n) => n.oid)).toEqual(log);
    expect(nodes).toHaveLength(7);
    expect(nodes[0]).toMatchObject({ oid: featureMerge, author: { user: { login: "alice" } } });
    const { data } = await ask(query, { ref: "refs/heads/main" });
    expect(data.repository.ref).toMatchObject({
      name: "main",
      prefix: "refs/heads/",
      target: { history: { totalCount: 7 } },
    });
    expect((await ask(query, { ref: "nope" })).data.repository.ref).toBeNull();
  });

  it("links the merge commit and the pull request's own commits to the merged pull request", async () => {
    const nodes = await walk({ ref: "main" });
    for (const sha of [featureMerge, ...featureCommits]) {
      const node = nodes.find((n) => n.oid === sha);
      expect(node.associatedPullRequests.nodes).toEqual([
        {
          number: 1,
          state: "MERGED",
          mergeCommit: { oid: featureMerge },
          files: { nodes: [{ path: "svc/c.test.txt" }, { path: "svc/c.txt" }] },
        },
      ]);
    }
    const direct = nodes.find((n) => n.messageHeadline === "feat: b");
    expect(direct.associatedPullRequests.nodes).toEqual([]);
  });

  it("lists the open pull request of a commit not yet on the default branch", async () => {
    const { data } = await ask(query, { ref: "wip" });
    expect(data.repository.ref.target.history.nodes[0]).toMatchObject({
      oid: openPullCommit,
      associatedPullRequests: { nodes: [{ number: 2, state: "OPEN", mergeCommit: null }] },
    });
  });

  it("limits by path and since like git log", async () => {
    const byPath = await walk({ ref: "main", path: "svc/a.txt" });
    expect(byPath.map((n) => n.messageHeadline)).toEqual(["fix: a", "Initial commit"]);
    const since = await walk({ ref: "main", since: "2024-01-03T00:00:00Z", path: "README.md" });
    expect(since.map((n) => n.messageHeadline)).toEqual(["docs: readme"]);
  });
});

describe("repository.object(expression:)", () => {
  const query = `query($owner: String!, $name: String!, $expr: String!) {
    repository(owner: $owner, name: $name) {
      object(expression: $expr) {
        __typename oid
        ... on Blob { text byteSize isBinary }
        ... on Tree { entries { name type path mode object { ... on Blob { text } ... on Tree { oid } } } }
      }
    }
  }`;

  it("reads a text blob and a binary one (text null, as documented)", async () => {
    const text = await ask(query, { expr: "main:README.md" });
    expect(text.data.repository.object).toMatchObject({
      __typename: "Blob",
      text: "# ML!\n",
      byteSize: 6,
      isBinary: false,
    });
    const binary = await ask(query, { expr: "HEAD:model.bin" });
    expect(binary.data.repository.object).toMatchObject({
      __typename: "Blob",
      text: null,
      isBinary: true,
      byteSize: 9,
    });
  });

  it("lists a tree's entries with full paths, types, integer modes and objects", async () => {
    const { data } = await ask(query, { expr: "main:svc" });
    expect(data.repository.object.__typename).toBe("Tree");
    expect(data.repository.object.entries).toEqual([
      { name: "a.txt", type: "blob", path: "svc/a.txt", mode: 33188, object: { text: "two\n" } },
      { name: "b.txt", type: "blob", path: "svc/b.txt", mode: 33188, object: { text: "b\n" } },
      { name: "c.test.txt", type: "blob", path: "svc/c.test.txt", mode: 33188, object: { text: "t\n" } },
      { name: "c.txt", type: "blob", path: "svc/c.txt", mode: 33188, object: { text: "c\n" } },
    ]);
    const root = await ask(query, { expr: "main:" });
    expect(root.data.repository.object.entries.find((e: { name: string }) => e.name === "svc")).toMatchObject(
      {
        type: "tree",
        path: "svc",
        mode: 16384,
      },
    );
  });

  it("answers null for a missing path and for an expression that would read as a git option", async () => {
    expect((await ask(query, { expr: "main:nope.txt" })).data.repository.object).toBeNull();
    expect((await ask(query, { expr: "--output=/tmp/x" })).data.repository.object).toBeNull();
    expect(sandbox.violations).toEqual([]);
  });
});
