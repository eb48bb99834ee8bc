import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { crc32 } from "node:zlib";
import nock from "nock";
import { ArtifactCache } from "../../../src/adapters/github/checklist-artifact-cache.js";
import { createChecklistCheckRuns } from "../../../src/adapters/github/checklist-check-runs.js";
import { createChecklistSource } from "../../../src/adapters/github/checklist-source.js";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { GitHubPulls } from "../../../src/adapters/github/github-pulls.js";
import { GitHubReleases } from "../../../src/adapters/github/github-releases.js";
import { checklistSection } from "../../../src/config/sections/checklist-section.js";
import { evaluateChecklist } from "../../../src/use-cases/evaluate-checklist.js";
import { useNockLifecycle } from "../../support/nock-lifecycle.js";
import { TestOctokit } from "../../../sandbox/harness/test-octokit.js";

type Json = Record<string, unknown>;
const spec = JSON.parse(
  readFileSync(
    createRequire(`${process.cwd()}/package.json`).resolve("@octokit/openapi/generated/api.github.com.json"),
    "utf8",
  ),
) as { components: { examples: Record<string, { value: unknown }> } };
const example = <T = Json>(name: string): T => structuredClone(spec.components.examples[name]!.value) as T;

const GITHUB = "https://api.github.com";
const repo = { owner: "acme", repo: "ml-portfolio" };
const SHA = "ce587453ced02b1526dfb4cb910479d431683101";
const APP_ID = 42;
const coverageXml = readFileSync(new URL("../../fixtures/checklist/coverage.xml", import.meta.url), "utf8");

/** A one-entry stored zip. */
const storedZip = (path: string, text: string): Buffer => {
  const data = Buffer.from(text);
  const name = Buffer.from(path);
  const header = (sig: number, size: number) => {
    const b = Buffer.alloc(size);
    b.writeUInt32LE(sig, 0);
    return b;
  };
  const local = header(0x04034b50, 30);
  local.writeUInt32LE(crc32(data) >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = header(0x02014b50, 46);
  central.writeUInt32LE(crc32(data) >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = header(0x06054b50, 22);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
};

describe("evaluateChecklist through the GitHub adapters", () => {
  useNockLifecycle();

  it("publishes check runs GitHub accepts, then re-evaluates without writing", async () => {
    const runPage = example<{ total_count: number; check_runs: Json[] }>("check-run-paginated");
    const base = runPage.check_runs[0]!;
    const ci = {
      ...runPage,
      total_count: 1,
      check_runs: [{ ...base, id: 1, name: "test (3.11)", status: "completed", conclusion: "success" }],
    };
    const combined = { ...example<Json>("combined-commit-status"), statuses: [] };
    const arts = example<{ artifacts: Json[] }>("artifact-paginated");
    const artifacts = {
      total_count: 1,
      artifacts: [{ ...arts.artifacts[0]!, id: 11, name: "coverage-BankChurn-Predictor", expired: false }],
    };
    const created: Json[] = [];
    const own = () => ({
      total_count: created.length,
      check_runs: created.map((c, i) => ({
        ...base,
        id: 100 + i,
        name: c["name"],
        external_id: c["external_id"],
        status: c["status"],
        app: { ...(base["app"] as Json), id: APP_ID },
      })),
    });
    const scope = (times: number) => {
      nock(GITHUB)
        .get(`/repos/acme/ml-portfolio/commits/${SHA}/check-runs`)
        .query({ filter: "latest", per_page: "100" })
        .times(times)
        .reply(200, ci)
        .get(`/repos/acme/ml-portfolio/commits/${SHA}/check-runs`)
        .query({ filter: "latest", per_page: "100", app_id: String(APP_ID) })
        .times(times)
        .reply(200, () => own())
        .get(`/repos/acme/ml-portfolio/commits/${SHA}/status`)
        .query({ per_page: "100" })
        .times(times)
        .reply(200, combined)
        .get("/repos/acme/ml-portfolio/actions/runs")
        .query({ head_sha: SHA, per_page: "100" })
        .times(times)
        .reply(200, example("workflow-run-paginated"))
        .get("/repos/acme/ml-portfolio/actions/runs/30433642/artifacts")
        .query({ per_page: "100" })
        .times(times)
        .reply(200, artifacts);
    };
    scope(2);
    nock(GITHUB)
      .get("/repos/acme/ml-portfolio/actions/artifacts/11/zip")
      .reply(302, "", { location: "https://pipelines.actions.githubusercontent.com/blob/11.zip" })
      .post("/repos/acme/ml-portfolio/check-runs", (body: Json) => (created.push(body), true))
      .times(4)
      // Answers the run just posted (the body matcher above recorded it).
      .reply(201, () => ({
        ...example<Json>("check-run"),
        id: 100 + created.length - 1,
        name: created.at(-1)!["name"],
        external_id: created.at(-1)!["external_id"],
      }));
    nock("https://pipelines.actions.githubusercontent.com")
      .get("/blob/11.zip")
      .reply(200, storedZip("coverage.xml", coverageXml));

    const octokit = new TestOctokit({ auth: "t" });
    const deps = {
      source: createChecklistSource(octokit, repo, { artifactCache: new ArtifactCache() }),
      checkRuns: createChecklistCheckRuns(octokit, repo, { appId: APP_ID }),
      git: new GitHubGitData(octokit, repo),
      pulls: new GitHubPulls(octokit, repo),
      releases: new GitHubReleases(octokit, repo),
    };
    const off = { enabled: false };
    const config = checklistSection.parse({
      tests: { checks: ["test (*"] },
      security: off,
      docs: off,
      versions: off,
      models: off,
      integration: off,
      approvals: off,
    });
    const input = {
      pr: {
        number: 7,
        headSha: SHA,
        headRef: "release/v1.2.0",
        baseRef: "main",
        body: "- [x] Data privacy compliance",
      },
      version: "1.2.0",
      config,
      projects: [{ name: "BankChurn-Predictor", path: "BankChurn-Predictor", versionFiles: [] }],
    };
    const first = await evaluateChecklist(deps, input);
    expect(first.gates.map((g) => [g.name, g.conclusion])).toEqual([
      ["Checklist: Tests", "success"],
      ["Checklist: Coverage", "success"],
      ["Checklist: Compliance", "success"],
    ]);
    expect(first.writes).toBe(4);
    expect(created.map((c) => c["name"])).toEqual([
      "Checklist: Tests",
      "Checklist: Coverage",
      "Checklist: Compliance",
      "Release readiness",
    ]);
    expect(created[3]).toMatchObject({
      head_sha: SHA,
      status: "completed",
      conclusion: "success",
      output: { title: "Ready to release" },
    });

    const second = await evaluateChecklist(deps, input);
    expect(second.writes).toBe(0);
    expect(second.readiness.conclusion).toBe("success");
  });
});
