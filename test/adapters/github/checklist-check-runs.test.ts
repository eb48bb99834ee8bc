import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import nock from "nock";
import { createChecklistCheckRuns } from "../../../src/adapters/github/checklist-check-runs.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import { checklistSection } from "../../../src/config/sections/checklist-section.js";
import { evaluateGate } from "../../../src/domain/checklist/gate-registry.js";
import { renderCheckRunOutput } from "../../../src/domain/checklist/render-check-run-output.js";
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
const writer = (appId?: number) =>
  createChecklistCheckRuns(new TestOctokit({ auth: "t" }), repo, appId === undefined ? {} : { appId });

const config = checklistSection.parse({});
const passed = renderCheckRunOutput(
  evaluateGate("compliance", { ok: true, value: { body: "- [x] Data privacy compliance" } }, config),
);
const pending = renderCheckRunOutput(
  evaluateGate(
    "tests",
    { ok: true, value: { checks: [{ name: "test", source: "check-run", state: "pending" }] } },
    checklistSection.parse({ tests: { checks: ["test*"] } }),
  ),
);

describe("checklist check runs on the Checks API", () => {
  useNockLifecycle();

  it("lists only this app's checklist runs on a commit", async () => {
    const page = example<{ total_count: number; check_runs: (Json & { app: Json })[] }>(
      "check-run-paginated",
    );
    const base = page.check_runs[0]!;
    page.check_runs = [
      {
        ...base,
        id: 21,
        name: "Checklist: Compliance",
        external_id: passed.externalId,
        app: { ...base.app, id: 42 },
      },
      {
        ...base,
        id: 22,
        name: "Release readiness",
        external_id: "",
        status: "in_progress",
        conclusion: null,
        app: { ...base.app, id: 42 },
      },
      { ...base, id: 23, name: "test (3.11)", app: { ...base.app, id: 42 } },
      { ...base, id: 24, name: "Release readiness", app: { ...base.app, id: 7 } },
    ];
    page.total_count = 4;
    nock(GITHUB)
      .get(`/repos/acme/ml-portfolio/commits/${SHA}/check-runs`)
      .query({ filter: "latest", per_page: "100", app_id: "42" })
      .reply(200, page);
    expect(await writer(42).listOwn(SHA)).toEqual([
      {
        id: 21,
        name: "Checklist: Compliance",
        externalId: passed.externalId,
        url: base["html_url"],
        completed: true,
      },
      { id: 22, name: "Release readiness", externalId: "", url: base["html_url"], completed: false },
    ]);
  });

  it("creates a completed run with its conclusion, hash and summary", async () => {
    let sent: Json = {};
    const created = {
      ...example<Json>("check-run"),
      id: 31,
      name: passed.name,
      external_id: passed.externalId,
      html_url: "https://github.com/acme/ml-portfolio/runs/31",
    };
    nock(GITHUB)
      .post("/repos/acme/ml-portfolio/check-runs", (body: Json) => ((sent = body), true))
      .reply(201, created);
    expect(await writer().create(SHA, passed)).toEqual({
      id: 31,
      name: "Checklist: Compliance",
      externalId: passed.externalId,
      url: "https://github.com/acme/ml-portfolio/runs/31",
      completed: true,
    });
    expect(sent).toEqual({
      name: "Checklist: Compliance",
      head_sha: SHA,
      status: "completed",
      conclusion: "success",
      external_id: passed.externalId,
      output: { title: "All 1 compliance items checked", summary: passed.output.summary },
    });
  });

  it("updates a run to in progress without a conclusion", async () => {
    let sent: Json = {};
    nock(GITHUB)
      .patch("/repos/acme/ml-portfolio/check-runs/31", (body: Json) => ((sent = body), true))
      .reply(200, {
        ...example<Json>("check-run"),
        id: 31,
        name: pending.name,
        status: "in_progress",
        conclusion: null,
        external_id: pending.externalId,
      });
    expect((await writer().update(31, pending)).completed).toBe(false);
    expect(sent).toEqual({
      name: "Checklist: Tests",
      status: "in_progress",
      external_id: pending.externalId,
      output: pending.output,
    });
  });
});

describe("checklist check runs errors", () => {
  // GitHub's description declares no error answer for checks.create, so a stub stands in for it.
  it("names the run that could not be written", async () => {
    const denied = Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
    const octokit = { rest: { checks: { create: () => Promise.reject(denied) } } } as unknown as Octokit;
    await expect(createChecklistCheckRuns(octokit, repo).create(SHA, passed)).rejects.toThrow(
      "creating check run Checklist: Compliance failed (GitHub answered 403): Resource not accessible by integration",
    );
  });
});
