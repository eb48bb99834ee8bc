// GitHub's own recorded traffic, replayed against the sandbox. `@octokit/fixtures` holds real
// api.github.com requests and answers (scenarios/api.github.com/<name>/normalized-fixture.json:
// method, path, reqheaders, body, status, response, headers), normalized so that ids, node_ids,
// urls and timestamps are placeholders. For each scenario whose endpoints the app uses, the
// sandbox is seeded with the state the recording assumes (octokit-fixture-org/<repo> becomes
// acme/<repo>; the placeholder shas 000…001 and 000…002 become real commits), every recorded
// request is sent in order as the recorded client sent it (its Accept header and body), with an
// installation token the sandbox issued, and the sandbox's answer is compared with GitHub's on the
// status, the fields the app reads (named per step) and the presence of a pagination Link header.
// A step the sandbox does not serve is listed with its reason and must still answer 501, so the
// table is revisited when it starts serving it.
import { afterEach, describe, expect, it } from "@jest/globals";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "./helpers.js";

const require = createRequire(import.meta.url);

interface RecordedRequest {
  method: string;
  path: string;
  reqheaders: Record<string, string | number>;
  body?: unknown;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}

const ORG = "octokit-fixture-org";
const OWNER = "acme";
/** The placeholders @octokit/fixtures puts where GitHub answered with a commit sha. */
const SHA1 = "0000000000000000000000000000000000000001";
const SHA2 = "0000000000000000000000000000000000000002";

function recording(name: string): RecordedRequest[] {
  return require(
    `@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`,
  ) as RecordedRequest[];
}

type Json = Record<string, unknown>;
/** The fields the app reads from one answer, in a form both answers can be compared in. */
type Pick = (body: unknown, shas: Record<string, string>) => unknown;

interface Scenario {
  name: string;
  /** The sandbox repository the recording's repository becomes. */
  repo: string;
  /** Seeds what the recording assumes; returns the real shas behind the placeholders. */
  seed(sandbox: GitHubSandbox): Promise<Record<string, string>>;
  /** Per recorded step: the fields compared (undefined: the status alone). */
  fields: (Pick | undefined)[];
  /** Steps the sandbox does not serve, with the reason. */
  known?: Record<number, string>;
}

const list = (f: (x: Json) => unknown) => (body: unknown) => (body as Json[]).map(f);
const unsha = (sha: unknown, shas: Record<string, string>) =>
  Object.entries(shas).find(([, real]) => real === sha)?.[0] ?? sha;
const ref = (r: Json, shas: Record<string, string>) => ({
  ref: r.ref,
  sha: unsha((r.object as Json).sha, shas),
  type: (r.object as Json).type,
});
const label = (l: Json) => ({ name: l.name, color: l.color, default: l.default, description: l.description });
const status = (s: Json) => ({
  state: s.state,
  description: s.description,
  target_url: s.target_url,
  context: s.context,
});
const issue = (i: Json) => ({ number: i.number, title: i.title, state: i.state });

/** The regular files of a gzipped tarball, with the archive's top directory left off (ustar: 512-byte headers). */
function tarFiles(archive: unknown): Record<string, string> {
  const tar = gunzipSync(typeof archive === "string" ? Buffer.from(archive, "hex") : (archive as Buffer));
  const files: Record<string, string> = {};
  for (let at = 0; at + 512 <= tar.length;) {
    const field = (from: number, to: number) =>
      tar
        .subarray(at + from, at + to)
        .toString("latin1")
        .replace(/\0.*$/s, "");
    const name = field(0, 100);
    if (name === "") break;
    const size = parseInt(field(124, 136).trim() || "0", 8);
    if (field(156, 157) === "0" || field(156, 157) === "")
      files[name.replace(/^[^/]*\//, "")] = tar.subarray(at + 512, at + 512 + size).toString("utf8");
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

async function oneCommit(
  sandbox: GitHubSandbox,
  name: string,
  files: Record<string, string>,
  branch = "main",
) {
  await sandbox.createRepo({ owner: OWNER, name, defaultBranch: branch, branches: { [branch]: files } });
  const gh = octokitFor(sandbox.url);
  return (await gh.rest.git.getRef({ owner: OWNER, repo: name, ref: `heads/${branch}` })).data.object.sha;
}

const scenarios: Scenario[] = [
  {
    // https://docs.github.com/en/rest/repos/repos#get-a-repository
    name: "get-repository",
    repo: "hello-world",
    seed: async (sandbox) => ({
      [SHA1]: await oneCommit(sandbox, "hello-world", { "README.md": "# hello-world" }, "master"),
    }),
    // `private` is not compared: the sandbox's repositories are private and the recorded one is
    // public; the app never reads it.
    fields: [
      (b) => {
        const r = b as Json;
        return {
          name: r.name,
          default_branch: r.default_branch,
          archived: r.archived,
          fork: r.fork,
          owner: { login: String((r.owner as Json).login).replace(ORG, OWNER), type: (r.owner as Json).type },
          // deploy-installations links to the repository by `html_url`: its path is /<owner>/<repo>.
          html_path: new URL(String(r.html_url)).pathname.replace(ORG, OWNER),
        };
      },
    ],
  },
  {
    // https://docs.github.com/en/rest/repos/contents#get-repository-content: a directory lists
    // its entries; `application/vnd.github.raw` answers the file's bytes.
    name: "get-content",
    repo: "hello-world",
    seed: async (sandbox) => ({
      [SHA1]: await oneCommit(sandbox, "hello-world", { "README.md": "# hello-world" }, "master"),
    }),
    fields: [list((e) => ({ name: e.name, path: e.path, sha: e.sha, size: e.size, type: e.type })), (b) => b],
  },
  {
    // https://docs.github.com/en/rest/git/refs: create, fast-forward, list, delete.
    name: "git-refs",
    repo: "git-refs",
    seed: async (sandbox) => {
      await sandbox.createRepo({
        owner: OWNER,
        name: "git-refs",
        history: [
          { branch: "main", message: "first", files: { "README.md": "one\n" } },
          { branch: "main", message: "second", files: { "README.md": "two\n" } },
        ],
      });
      const gh = octokitFor(sandbox.url);
      const tip = (await gh.rest.git.getRef({ owner: OWNER, repo: "git-refs", ref: "heads/main" })).data
        .object.sha;
      const parent = (await gh.rest.git.getCommit({ owner: OWNER, repo: "git-refs", commit_sha: tip })).data
        .parents[0]!.sha;
      return { [SHA1]: tip, [SHA2]: parent };
    },
    fields: [
      (b, s) => (b as Json[]).map((r) => ref(r, s)),
      (b, s) => ref(b as Json, s),
      (b, s) => ref(b as Json, s),
      (b, s) => (b as Json[]).map((r) => ref(r, s)),
      undefined,
    ],
    known: {
      0: "GET /git/refs/ (every ref) is a legacy address absent from GitHub's OpenAPI description; the app lists refs with /git/matching-refs/",
      3: "GET /git/refs/ again, after the update: same legacy address",
    },
  },
  {
    // https://docs.github.com/en/rest/repos/contents#download-a-repository-archive-tar: 302 to
    // a short-lived address (codeload on GitHub) that answers the gzipped tarball.
    name: "get-archive",
    repo: "get-archive",
    seed: async (sandbox) => ({
      [SHA1]: await oneCommit(sandbox, "get-archive", { "README.md": "# get-archive" }),
    }),
    fields: [undefined, tarFiles],
  },
  {
    // https://docs.github.com/en/rest/issues/issues#list-repository-issues, newest first, paged
    // with a Link header (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
    name: "paginate-issues",
    repo: "paginate-issues",
    seed: async (sandbox) => {
      const sha = await oneCommit(sandbox, "paginate-issues", { "README.md": "# paginate\n" });
      for (let n = 1; n <= 13; n += 1)
        await sandbox.openIssue(`${OWNER}/paginate-issues`, "alice", { title: `Test issue ${n}` });
      return { [SHA1]: sha };
    },
    fields: Array.from({ length: 5 }, () => list(issue)),
  },
  {
    // https://docs.github.com/en/rest/commits/statuses: the combined state is `failure` when any
    // context's latest status failed.
    name: "create-status",
    repo: "create-status",
    seed: async (sandbox) => ({
      [SHA1]: await oneCommit(sandbox, "create-status", { "README.md": "# status\n" }),
    }),
    fields: [
      (b) => status(b as Json),
      (b) => status(b as Json),
      list(status),
      (b) => {
        const c = b as Json;
        return { state: c.state, total_count: c.total_count, statuses: (c.statuses as Json[]).map(status) };
      },
    ],
  },
  {
    // https://docs.github.com/en/rest/issues/labels#add-labels-to-an-issue: labels that do not
    // exist are created, colour ededed, and the answer is the issue's labels.
    name: "add-labels-to-issue",
    repo: "add-labels-to-issue",
    seed: async (sandbox) => ({
      [SHA1]: await oneCommit(sandbox, "add-labels-to-issue", { "README.md": "# labels\n" }),
    }),
    fields: [(b) => issue(b as Json), list(label)],
  },
  {
    // https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api: 422
    // "Validation Failed" with an `errors` entry naming the resource, code and field.
    name: "errors",
    repo: "errors",
    seed: async (sandbox) => ({ [SHA1]: await oneCommit(sandbox, "errors", { "README.md": "# errors\n" }) }),
    fields: [
      (b) => {
        const e = b as Json;
        return {
          message: e.message,
          errors: (e.errors as Json[]).map((x) => ({ resource: x.resource, code: x.code, field: x.field })),
        };
      },
    ],
  },
  {
    // https://docs.github.com/en/rest/issues/labels
    name: "labels",
    repo: "labels",
    seed: async (sandbox) => ({ [SHA1]: await oneCommit(sandbox, "labels", { "README.md": "# labels\n" }) }),
    fields: [undefined, (b) => label(b as Json), (b) => label(b as Json), undefined, undefined],
    known: {
      0: "listing a repository's labels is not served: the app reads labels on issues, not the repository's list",
      3: "renaming a label is not served: the app never renames labels",
      4: "deleting a label is not served: the app never deletes labels",
    },
  },
];

/** The recorded path on the sandbox's repository, placeholders swapped for the seeded shas. */
function rewrite(path: string, repo: string, shas: Record<string, string>): string {
  let out = path.replace(new RegExp(`^/repos/${ORG}/[^/?]+`), `/repos/${OWNER}/${repo}`);
  for (const [placeholder, real] of Object.entries(shas)) out = out.split(placeholder).join(real);
  return out;
}

function rewriteBody(body: unknown, shas: Record<string, string>): string | undefined {
  if (body === undefined || body === "") return undefined;
  let text = typeof body === "string" ? body : JSON.stringify(body);
  for (const [placeholder, real] of Object.entries(shas)) text = text.split(placeholder).join(real);
  return text;
}

/** rel names of a Link header (https://datatracker.ietf.org/doc/html/rfc8288). */
function rels(link: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (link ?? "").matchAll(/<([^>]+)>;\s*rel="([^"]+)"/g)) out[m[2]!] = m[1]!;
  return out;
}

let sandbox: GitHubSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe.each(scenarios)("@octokit/fixtures scenario $name", (scenario) => {
  it("answers as GitHub recorded it: statuses, the fields the app reads, Link headers", async () => {
    // The recording's client had a token with the repository's full scope; the installation here
    // is given the same for the replay (statuses: write is beyond app.yml's default_permissions).
    sandbox = await startGitHubSandbox({
      permissions: { contents: "write", issues: "write", statuses: "write", metadata: "read" },
    });
    const shas = await scenario.seed(sandbox);
    const { data } = await octokitFor(sandbox.url).rest.apps.createInstallationAccessToken({
      installation_id: sandbox.installationId,
    });
    const records = recording(scenario.name);
    expect(scenario.fields).toHaveLength(records.length);

    let next: string | undefined;
    let location: string | undefined;
    for (const [i, rec] of records.entries()) {
      // A later page is reached as the recorded client reached it: by the previous answer's
      // `rel="next"`, which on GitHub names /repositories/<id>/…, an address only GitHub knows.
      // A redirect is followed as the recorded client followed it, to the `location` given.
      const path =
        rec.path.startsWith("/repositories/") && next
          ? next
          : !rec.path.startsWith("/repos/") && location
            ? location
            : rewrite(rec.path, scenario.repo, shas);
      const body = rewriteBody(rec.body, shas);
      const headers: Record<string, string> = {
        accept: String(rec.reqheaders.accept),
        authorization: `token ${data.token}`,
      };
      if (rec.reqheaders["content-type"]) headers["content-type"] = String(rec.reqheaders["content-type"]);
      const res = await fetch(path.startsWith("http") ? path : `${sandbox.url}${path}`, {
        method: rec.method.toUpperCase(),
        redirect: "manual",
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString("utf8");
      const step = `${rec.method.toUpperCase()} ${path}`;

      const reason = scenario.known?.[i];
      if (reason) {
        expect({ step, status: res.status }).toEqual({ step, status: 501 });
        continue;
      }
      expect({ step, status: res.status }).toEqual({ step, status: rec.status });

      const type = res.headers.get("content-type") ?? "";
      const answer: unknown =
        text === "" ? "" : type.includes("json") ? JSON.parse(text) : type.includes("gzip") ? bytes : text;
      location = res.headers.get("location") ?? undefined;
      if (rec.status >= 300 && rec.status < 400)
        expect({ step, location: typeof location }).toEqual({ step, location: "string" });
      const pick = scenario.fields[i];
      if (pick)
        expect({ step, fields: pick(answer, shas) }).toEqual({ step, fields: pick(rec.response, shas) });

      const recordedRels = rels(rec.headers.link);
      const givenRels = rels(res.headers.get("link"));
      expect({ step, rels: Object.keys(givenRels).sort() }).toEqual({
        step,
        rels: Object.keys(recordedRels).sort(),
      });
      next = givenRels.next ? new URL(givenRels.next).pathname + new URL(givenRels.next).search : undefined;
    }
    // The only violations are the sandbox's own notes on the steps listed as not served.
    expect(sandbox.violations).toHaveLength(Object.keys(scenario.known ?? {}).length);
    for (const v of sandbox.violations)
      expect(v).toMatch(/^GitHub sandbox: no such GitHub operation|^GitHub sandbox does not implement/);
  });
});

describe("a trailing slash leaves a greedy parameter empty, as on GitHub", () => {
  it("git/matching-refs/ lists every ref (https://docs.github.com/en/rest/git/refs#list-matching-references)", async () => {
    sandbox = await startGitHubSandbox();
    await sandbox.createRepo({
      owner: OWNER,
      name: "refs",
      history: [
        { branch: "main", message: "first", files: { "README.md": "one\n" } },
        { branch: "develop", message: "second", files: { "README.md": "two\n" } },
      ],
    });
    const gh = octokitFor(sandbox.url);
    // The documented address with an empty {ref} (Octokit drops the trailing slash, so raw).
    const all = await fetch(`${sandbox.url}/repos/${OWNER}/refs/git/matching-refs/`, {
      headers: { accept: "application/vnd.github+json", authorization: "token x" },
    });
    expect(all.status).toBe(200);
    const refs = (await all.json()) as { ref: string }[];
    expect(refs.map((r) => r.ref).sort()).toEqual(["refs/heads/develop", "refs/heads/main"]);
    const heads = await gh.rest.git.listMatchingRefs({ owner: OWNER, repo: "refs", ref: "heads/dev" });
    expect(heads.data.map((r) => r.ref)).toEqual(["refs/heads/develop"]);
    expect(sandbox.violations).toEqual([]);
  });
});
