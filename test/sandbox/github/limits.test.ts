// GitHub's limits and headers in the sandbox: capped bodies, the raw media type on contents, and
// the rate-limit headers on every answer.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "./helpers.js";

jest.setTimeout(60_000);

let sandbox: GitHubSandbox;
const NAME = "acme/svc";
const repo = { owner: "acme", repo: "svc" };
const BINARY = "\u0000\u00ff\u0001PK";

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "svc",
    branches: { main: { VERSION: "1.0.0\n", "docs/notes.md": "# Notes\n\nÜnïcödé ✓\n", "bin.dat": BINARY } },
  });
});

afterAll(async () => {
  await sandbox.close();
});

const refusal = (error: unknown) => {
  const e = error as { status: number; response: { data: { message: string; errors: unknown[] } } };
  return { status: e.status, ...e.response.data };
};

describe("body limits", () => {
  it("refuses issue, comment and PR bodies over 65,536 characters with 422, and takes exactly 65,536", async () => {
    const gh = octokitFor(sandbox.url);
    const long = "x".repeat(65_537);
    const issue = await gh.rest.issues.create({ ...repo, title: "t", body: "x".repeat(65_536) });
    expect(issue.data.body).toHaveLength(65_536);

    const create = await gh.rest.issues.create({ ...repo, title: "t", body: long }).catch((e: unknown) => e);
    expect(refusal(create)).toMatchObject({
      status: 422,
      message: "Validation Failed",
      errors: [
        {
          resource: "Issue",
          code: "custom",
          field: "body",
          message: "body is too long (maximum is 65536 characters)",
        },
      ],
    });
    const comment = await gh.rest.issues
      .createComment({ ...repo, issue_number: issue.data.number, body: long })
      .catch((e: unknown) => e);
    expect(refusal(comment)).toMatchObject({
      status: 422,
      errors: [{ resource: "IssueComment", field: "body" }],
    });
    const edit = await gh.rest.issues
      .update({ ...repo, issue_number: issue.data.number, body: long })
      .catch((e: unknown) => e);
    expect(refusal(edit).status).toBe(422);
    await sandbox.pushCommit(NAME, "alice", "feature", "feat: f", { f: "f\n" });
    const pull = await gh.rest.pulls
      .create({ ...repo, head: "feature", base: "main", title: "f", body: long })
      .catch((e: unknown) => e);
    expect(refusal(pull)).toMatchObject({ status: 422, errors: [{ resource: "PullRequest" }] });
    // Nothing was written by the refused calls.
    expect(sandbox.pulls(NAME)).toHaveLength(0);
    expect(sandbox.issue(NAME, issue.data.number).comments).toHaveLength(0);
    expect(sandbox.issue(NAME, issue.data.number).body).toHaveLength(65_536);
  });

  it("counts characters, not UTF-16 units: 65,536 emoji fit", async () => {
    const gh = octokitFor(sandbox.url);
    const emoji = "🚀".repeat(65_536);
    const ok = await gh.rest.issues.create({ ...repo, title: "e", body: emoji });
    expect(ok.status).toBe(201);
    const over = await gh.rest.issues
      .create({ ...repo, title: "e", body: `${emoji}!` })
      .catch((e: unknown) => e);
    expect(refusal(over).status).toBe(422);
  });
});

describe("the raw media type on contents", () => {
  it("answers the file's bytes for Accept: application/vnd.github.raw, JSON otherwise", async () => {
    const gh = octokitFor(sandbox.url);
    const raw = await gh.rest.repos.getContent({
      ...repo,
      path: "docs/notes.md",
      headers: { accept: "application/vnd.github.raw" },
    });
    expect(raw.data as unknown).toBe("# Notes\n\nÜnïcödé ✓\n");
    expect(raw.headers["content-type"]).toBe("application/vnd.github.raw; charset=utf-8");
    const v3 = await fetch(`${sandbox.url}/repos/acme/svc/contents/bin.dat`, {
      headers: { accept: "application/vnd.github.v3.raw", authorization: "token x" },
    });
    expect(Buffer.from(await v3.arrayBuffer())).toEqual(Buffer.from(BINARY));
    const json = await gh.rest.repos.getContent({ ...repo, path: "docs/notes.md" });
    expect((json.data as { encoding: string }).encoding).toBe("base64");
  });
});

describe("rate-limit headers", () => {
  it("are on every answer, with remaining going down and used going up per resource", async () => {
    const gh = octokitFor(sandbox.url);
    const first = await gh.rest.repos.get(repo);
    const second = await gh.rest.issues.listForRepo(repo);
    const missing = await gh.rest.issues.get({ ...repo, issue_number: 999 }).catch((e: unknown) => e);
    const h1 = first.headers;
    const h2 = second.headers;
    expect(h1["x-ratelimit-limit"]).toBe("5000");
    expect(h1["x-ratelimit-resource"]).toBe("core");
    expect(Number(h2["x-ratelimit-remaining"])).toBe(Number(h1["x-ratelimit-remaining"]) - 1);
    expect(Number(h2["x-ratelimit-used"])).toBe(Number(h1["x-ratelimit-used"]) + 1);
    expect(Number(h1["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    const h3 = (missing as { response: { headers: Record<string, string> } }).response.headers;
    expect(Number(h3["x-ratelimit-remaining"])).toBe(Number(h2["x-ratelimit-remaining"]) - 1);
    const graphql = await fetch(`${sandbox.url}/graphql`, {
      method: "POST",
      headers: { authorization: "bearer x", "content-type": "application/json" },
      body: JSON.stringify({ query: '{ repository(owner: "acme", name: "svc") { name } }' }),
    });
    expect(graphql.headers.get("x-ratelimit-resource")).toBe("graphql");
    expect(graphql.headers.get("x-ratelimit-used")).toBe("1");
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
