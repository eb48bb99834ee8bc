import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { deflateRawSync, crc32 } from "node:zlib";
import nock from "nock";
import { ArtifactCache } from "../../../src/adapters/github/checklist-artifact-cache.js";
import { createChecklistSource } from "../../../src/adapters/github/checklist-source.js";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { GitHubPulls } from "../../../src/adapters/github/github-pulls.js";
import { GitHubReleases } from "../../../src/adapters/github/github-releases.js";
import { useNockLifecycle } from "../../support/nock-lifecycle.js";
import { TestOctokit } from "../../../sandbox/harness/test-octokit.js";

type Json = Record<string, unknown>;
const spec = JSON.parse(
  readFileSync(
    createRequire(`${process.cwd()}/package.json`).resolve("@octokit/openapi/generated/api.github.com.json"),
    "utf8",
  ),
) as { components: { examples: Record<string, { value: unknown }> } };
/** GitHub's own documented example answer, copied so a test can change it. */
const example = <T = Json>(name: string): T => structuredClone(spec.components.examples[name]!.value) as T;

const GITHUB = "https://api.github.com";
const repo = { owner: "acme", repo: "ml-portfolio" };
const source = (artifactCache?: ArtifactCache) =>
  createChecklistSource(new TestOctokit({ auth: "t" }), repo, artifactCache ? { artifactCache } : {});
const SHA = "ce587453ced02b1526dfb4cb910479d431683101";
/** The capability ports the checklist reads files, comparisons, reviews, bodies and releases through. */
const octokit = () => new TestOctokit({ auth: "t" });
const git = () => new GitHubGitData(octokit(), repo);
const pulls = () => new GitHubPulls(octokit(), repo);
const releases = () => new GitHubReleases(octokit(), repo);

/** A one-file deflated zip, as Actions serves an artifact. */
const zipOf = (path: string, text: string): Buffer => {
  const data = Buffer.from(text);
  const body = deflateRawSync(data);
  const name = Buffer.from(path);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data) >>> 0, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data) >>> 0, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + body.length, 16);
  return Buffer.concat([local, name, body, central, name, end]);
};

/** GitHub's example writes one EPSS percentile as a string its own schema refuses; fixed here. */
const dependabotAlerts = (): Json[] =>
  example<{ security_advisory: { epss?: { percentile: unknown }[] | { percentile: unknown } } }[]>(
    "dependabot-alerts-for-repository",
  ).map((a) => {
    const epss = a.security_advisory.epss;
    for (const e of Array.isArray(epss) ? epss : epss ? [epss] : []) e.percentile = Number(e.percentile);
    return a as unknown as Json;
  });

describe("checklist source on the GitHub API", () => {
  useNockLifecycle();

  it("normalises check runs and commit statuses of the head commit", async () => {
    const page = example<{ total_count: number; check_runs: Json[] }>("check-run-paginated");
    const base = page.check_runs[0]!;
    page.check_runs = [
      {
        ...base,
        id: 1,
        name: "test (3.11)",
        status: "completed",
        conclusion: "success",
        html_url: "https://github.com/acme/ml-portfolio/runs/1",
      },
      { ...base, id: 2, name: "Integration tests", status: "in_progress", conclusion: null },
      { ...base, id: 3, name: "lint", status: "completed", conclusion: "timed_out" },
    ];
    page.total_count = 3;
    const combined = example<{ statuses: Json[] }>("combined-commit-status");
    combined.statuses = [
      {
        ...combined.statuses[0]!,
        context: "coverage/BankChurn-Predictor",
        state: "success",
        description: "Coverage 81.2%",
      },
    ];
    nock(GITHUB)
      .get(`/repos/acme/ml-portfolio/commits/${SHA}/check-runs`)
      .query({ filter: "latest", per_page: "100" })
      .reply(200, page)
      .get(`/repos/acme/ml-portfolio/commits/${SHA}/status`)
      .query({ per_page: "100" })
      .reply(200, combined);
    expect(await source().listCommitChecks(SHA)).toEqual([
      {
        name: "test (3.11)",
        source: "check-run",
        state: "success",
        url: "https://github.com/acme/ml-portfolio/runs/1",
      },
      { name: "Integration tests", source: "check-run", state: "pending", url: base["html_url"] },
      { name: "lint", source: "check-run", state: "failure", url: base["html_url"] },
      {
        name: "coverage/BankChurn-Predictor",
        source: "status",
        state: "success",
        url: "https://ci.example.com/1000/output",
        description: "Coverage 81.2%",
      },
    ]);
  });

  it("reads reviews and team membership (404 means not a member)", async () => {
    const reviews = example<Json[]>("pull-request-review-items");
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/pulls/7/reviews")
      .query({ per_page: "100" })
      .reply(200, reviews)
      .get("/orgs/acme/teams/release-managers/memberships/octocat")
      .reply(200, example("team-membership-response-if-user-is-a-team-maintainer"))
      .get("/orgs/acme/teams/release-managers/memberships/eve")
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com" });
    const s = source();
    expect(await pulls().listReviews(7)).toEqual([
      {
        user: "octocat",
        state: "APPROVED",
        submittedAt: "2019-11-17T17:43:43Z",
        url: "https://github.com/octocat/Hello-World/pull/12#pullrequestreview-80",
      },
    ]);
    expect(await s.isTeamMember("acme", "release-managers", "octocat")).toBe(true);
    expect(await s.isTeamMember("acme", "release-managers", "eve")).toBe(false);
  });

  it("leaves out a review whose author's account is gone (user: null), keeping the others", async () => {
    // The REST schema types a review's `user` as nullable-simple-user: GitHub answers null once the
    // reviewer's account is deleted ("List reviews for a pull request", docs.github.com).
    const [review] = example<Json[]>("pull-request-review-items");
    const ghost = { ...review, id: 81, user: null, state: "CHANGES_REQUESTED" };
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/pulls/7/reviews")
      .query({ per_page: "100" })
      .reply(200, [ghost, review]);
    const reviews = await pulls().listReviews(7);
    expect(reviews.map((r) => [r.user, r.state])).toEqual([["octocat", "APPROVED"]]);
  });

  it("lists the head commit's artifacts and unpacks one", async () => {
    const runs = example<{ workflow_runs: Json[] }>("workflow-run-paginated");
    const arts = example<{ total_count: number; artifacts: Json[] }>("artifact-paginated");
    arts.artifacts = [{ ...arts.artifacts[0]!, id: 11, name: "coverage-reports" }];
    arts.total_count = 1;
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/actions/runs")
      .query({ head_sha: SHA, per_page: "100" })
      .reply(200, runs)
      .get("/repos/acme/ml-portfolio/actions/runs/30433642/artifacts")
      .query({ per_page: "100" })
      .reply(200, arts)
      .get("/repos/acme/ml-portfolio/actions/artifacts/11/zip")
      .reply(302, "", { location: "https://pipelines.actions.githubusercontent.com/blob/11.zip" });
    nock("https://pipelines.actions.githubusercontent.com")
      .get("/blob/11.zip")
      .reply(200, zipOf("BankChurn-Predictor/coverage.xml", '<coverage line-rate="0.8"/>'), {
        "content-type": "application/zip",
      });
    const cache = new ArtifactCache();
    const s = source(cache);
    const list = await s.listArtifacts(SHA);
    expect(list).toEqual([
      {
        id: 11,
        name: "coverage-reports",
        runId: 30433642,
        expired: false,
        url: "https://github.com/octo-org/octo-repo/actions/runs/30433642",
      },
    ]);
    const files = await s.readArtifact(list[0]!);
    expect(files.map((f) => [f.path, Buffer.from(f.bytes).toString()])).toEqual([
      ["BankChurn-Predictor/coverage.xml", '<coverage line-rate="0.8"/>'],
    ]);
    // Downloaded once: a later re-evaluation reads the unpacked files from the cache.
    expect(await source(cache).readArtifact(list[0]!)).toBe(files);
  });

  it("names the artifact when its download fails", async () => {
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/actions/artifacts/12/zip")
      .reply(410, { message: "Artifact has expired", documentation_url: "https://docs.github.com" });
    await expect(
      source().readArtifact({ id: 12, name: "security-reports", runId: 1, expired: false }),
    ).rejects.toThrow(
      /^downloading artifact security-reports failed \(GitHub answered 410\): Artifact has expired/,
    );
  });

  it("maps open code-scanning and Dependabot alerts to findings with links", async () => {
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/code-scanning/analyses")
      .query({ ref: "refs/heads/release/v1.2.0", per_page: "1" })
      .reply(200, example("code-scanning-analysis-items"))
      .get("/repos/acme/ml-portfolio/code-scanning/alerts")
      .query({ ref: "refs/heads/release/v1.2.0", state: "open", per_page: "100" })
      .reply(200, example("code-scanning-alert-items"))
      .get("/repos/acme/ml-portfolio/dependabot/alerts")
      .query({ state: "open", per_page: "100" })
      .reply(200, dependabotAlerts());
    const s = source();
    const scanning = await s.listCodeScanningAlerts("refs/heads/release/v1.2.0");
    expect(scanning?.[0]).toEqual({
      source: "code-scanning",
      id: "js/zipslip",
      severity: "high",
      title: "Arbitrary file write during zip extraction",
      location: "spec-main/api-session-spec.ts:917",
      url: "https://github.com/octocat/hello-world/code-scanning/4",
    });
    const dependabot = await s.listDependabotAlerts();
    expect(dependabot[0]).toMatchObject({
      source: "dependabot",
      id: "CVE-2018-6188",
      severity: "high",
      url: "https://github.com/octocat/hello-world/security/dependabot/2",
    });
    expect(dependabot[0]!.title).toMatch(/^django: Django allows remote attackers/);
    expect(dependabot).toHaveLength(2);
  });

  it("tells a ref nobody scanned (null) from a clean one", async () => {
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/code-scanning/analyses")
      .query({ ref: "refs/pull/7/merge", per_page: "1" })
      .reply(200, [])
      .get("/repos/acme/ml-portfolio/code-scanning/analyses")
      .query({ ref: "refs/heads/release/v1.2.0", per_page: "1" })
      .reply(404, { message: "no analysis found", documentation_url: "https://docs.github.com" });
    const s = source();
    expect(await s.listCodeScanningAlerts("refs/pull/7/merge")).toBeNull();
    expect(await s.listCodeScanningAlerts("refs/heads/release/v1.2.0")).toBeNull();
  });

  it("explains a disabled code scanning", async () => {
    nock(GITHUB).get("/repos/acme/ml-portfolio/code-scanning/analyses").query(true).reply(403, {
      message: "Advanced Security must be enabled for this repository to use code scanning.",
      documentation_url: "https://docs.github.com",
    });
    await expect(source().listCodeScanningAlerts("refs/heads/main")).rejects.toThrow(
      "reading code-scanning alerts failed (GitHub answered 403): Advanced Security must be enabled for this repository to use code scanning.",
    );
  });

  it("reads several files at the head in one GraphQL request (absent and binary: undefined), the changed files since a tag and the latest release", async () => {
    const compare = example<{ files: Json[]; html_url: string }>("commit-comparison");
    compare.files = [
      { ...compare.files[0]!, filename: "README.md" },
      { ...compare.files[0]!, filename: "docs/new.md", status: "renamed", previous_filename: "docs/old.md" },
    ];
    const asked: { query: string; variables: Record<string, string> }[] = [];
    nock(GITHUB)
      // https://docs.github.com/en/graphql/reference/objects#repository `object(expression:)`:
      // null for a path that does not exist; a Blob's `text` is null when it is binary.
      .post(
        "/graphql",
        (body: { query: string; variables: Record<string, string> }) => (asked.push(body), true),
      )
      .reply(200, {
        data: {
          repository: {
            f0: { text: "# Changelog\n", isBinary: false, isTruncated: false },
            f1: null,
            f2: { text: null, isBinary: true, isTruncated: false },
          },
        },
      })
      .get(`/repos/acme/ml-portfolio/compare/v1.1.0...${SHA}`)
      .query({ per_page: "250" })
      .reply(200, compare)
      .get("/repos/acme/ml-portfolio/releases/latest")
      .reply(200, example("release"));
    const texts = await git().readFiles(SHA, [
      "CHANGELOG.md",
      "BankChurn-Predictor/pyproject.toml",
      "logo.png",
    ]);
    expect([...texts]).toEqual([
      ["CHANGELOG.md", "# Changelog\n"],
      ["BankChurn-Predictor/pyproject.toml", undefined],
      ["logo.png", undefined],
    ]);
    // The paths travel as variables, never inside the query text.
    expect(asked).toHaveLength(1);
    expect(asked[0]!.variables).toMatchObject({ f0: `${SHA}:CHANGELOG.md`, f2: `${SHA}:logo.png` });
    expect(asked[0]!.query).not.toContain("CHANGELOG");
    const changed = await git().compare("v1.1.0", SHA);
    expect(changed.files).toEqual(["README.md", "docs/new.md"]);
    expect(changed.renamedFrom).toEqual(["docs/old.md"]);
    expect(changed.url).toBe(compare.html_url);
    expect(await releases().findLatestTag()).toBe("v1.0.0");
  });

  it("reads the pull request's current description", async () => {
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/pulls/7")
      // GitHub's example lists a requested team without the `type` its schema requires: none here.
      .reply(200, {
        ...example<Json>("pull-request"),
        number: 7,
        requested_teams: [],
        body: "- [x] Data privacy compliance",
      });
    expect(await pulls().readPullBody(7)).toBe("- [x] Data privacy compliance");
  });

  it("has no previous release tag before the first release", async () => {
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/releases/latest")
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com" });
    expect(await releases().findLatestTag()).toBeUndefined();
  });
});
