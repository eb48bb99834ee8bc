import { beforeEach, describe, expect, it } from "@jest/globals";
import { type Config, type ConfigInput, configSchema } from "../../../src/config/schema.js";
import { parseShipMarker } from "../../../src/domain/ship/ship-marker.js";
import type { ModelRegistry } from "../../../src/ports/checklist.js";
import { bumpHotfix, type HotfixPull } from "../../../src/use-cases/ship/bump-hotfix.js";
import { finalizeRelease } from "../../../src/use-cases/ship/finalize-release.js";
import { recordPublishedImages, startImagePublishing } from "../../../src/use-cases/ship/publish-images.js";
import { startHotfix } from "../../../src/use-cases/ship/start-hotfix.js";
import { FakeShipGitHub } from "./fake-ship-github.js";

const configOf = (input: ConfigInput = {}): Config =>
  configSchema.parse({
    ...input,
    release: { projects: [{ name: "api", path: ".", image: "ghcr.io/o/api" }], ...input.release },
  });
const clock = { now: () => new Date("2025-01-16T09:00:00Z") };
const PYPROJECT = '[project]\nname = "api"\nversion = "1.2.0"\n';
const CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2025-01-15\n\n### Added\n- Batch\n";

describe("startHotfix", () => {
  let gh: FakeShipGitHub;
  beforeEach(() => {
    gh = new FakeShipGitHub();
  });

  it("branches from the latest final release, not from a newer release candidate", async () => {
    gh.tags.set("v1.2.0", { commit: "r120" });
    gh.tags.set("v1.3.0-rc.1", { commit: "rc" });
    gh.tags.set("v1.1.0", { commit: "r110" });
    const result = await startHotfix(gh.ports, {
      config: configOf(),
      issue: { number: 42, title: "Fix: auth 500s!" },
    });
    expect(result.reason).toBe("done");
    expect(gh.branches.get("hotfix/42-fix-auth-500s")).toBe("r120");
    expect(gh.comments[0]?.body).toContain("**1.2.1**");
    expect(
      (await startHotfix(gh.ports, { config: configOf(), issue: { number: 42, title: "x" } })).reason,
    ).toBe("already-done");
    expect(gh.writes).toEqual(["branch hotfix/42-fix-auth-500s", "comment #42"]);
  });

  it("says there is nothing to hotfix before the first release", async () => {
    const result = await startHotfix(gh.ports, { config: configOf(), issue: { number: 1, title: "x" } });
    expect(result.reason).toBe("not-found");
    expect(gh.branches.size).toBe(0);
    expect(gh.comments[0]?.body).toContain("nothing to hotfix");
  });
});

describe("bumpHotfix", () => {
  let gh: FakeShipGitHub;
  const pull: HotfixPull = {
    number: 9,
    title: "Auth rejects valid tokens",
    body: "Details.",
    head: "hotfix/42-auth",
    headSha: "h1",
    labels: [],
  };
  beforeEach(() => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.2.0", { commit: "r120" });
    gh.branches.set("hotfix/42-auth", "h1");
    gh.files.set("h1", { "pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG });
    gh.pulls.push({
      number: 9,
      url: "u",
      head: pull.head,
      base: "main",
      title: pull.title,
      body: "Details.",
      open: true,
    });
  });

  it("pushes one commit with the patch bump and a Fixed entry, marks the PR and labels it", async () => {
    const result = await bumpHotfix({ ...gh.ports, clock }, { config: configOf(), pull });
    expect(result.reason).toBe("done");
    const commit = gh.commits[0]!;
    expect(commit).toMatchObject({ parent: "h1", message: "chore(hotfix): 1.2.1" });
    expect(commit.files.get("pyproject.toml")).toContain('version = "1.2.1"');
    expect(commit.files.get("CHANGELOG.md")).toMatch(
      /## \[1\.2\.1\] - 2025-01-16\n\n### Fixed\n- Auth rejects valid tokens \(#9\)/i,
    );
    expect(gh.branches.get("hotfix/42-auth")).toBe(commit.sha);
    expect(parseShipMarker(gh.pulls[0]!.body)).toEqual({
      kind: "hotfix",
      version: "1.2.1",
      previousVersion: "1.2.0",
      issue: 42,
    });
    expect(gh.pulls[0]?.body.startsWith("Details.")).toBe(true);
    expect(gh.writes).toEqual(["advance hotfix/42-auth", "pull body #9", "labels #9 hotfix", "comment #9"]);
    expect(
      (
        await bumpHotfix(
          { ...gh.ports, clock },
          { config: configOf(), pull: { ...pull, body: gh.pulls[0]!.body } },
        )
      ).reason,
    ).toBe("already-done");
    expect(gh.commits).toHaveLength(1);
  });

  it("leaves a branch that moved to the next push event", async () => {
    gh.branches.set("hotfix/42-auth", "h2");
    expect((await bumpHotfix({ ...gh.ports, clock }, { config: configOf(), pull })).reason).toBe(
      "in-progress",
    );
    expect(gh.writes).toEqual([]);
  });

  it("only adds the marker when the PR was bumped by hand", async () => {
    gh.files.set("h1", {
      "pyproject.toml": PYPROJECT.replace("1.2.0", "1.2.1"),
      "CHANGELOG.md": CHANGELOG.replace(
        "## [1.2.0]",
        "## [1.2.1] - 2025-01-16\n\n### Fixed\n- A\n\n## [1.2.0]",
      ),
    });
    expect((await bumpHotfix({ ...gh.ports, clock }, { config: configOf(), pull })).reason).toBe(
      "already-done",
    );
    expect(gh.writes).toEqual(["pull body #9"]);
    expect(parseShipMarker(gh.pulls[0]!.body)?.version).toBe("1.2.1");
  });
});

describe("recordPublishedImages", () => {
  let gh: FakeShipGitHub;
  const run = {
    path: ".github/workflows/publish-images.yml",
    headBranch: "v1.2.0",
    conclusion: "success",
    url: "https://g/runs/7",
  };
  beforeEach(async () => {
    gh = new FakeShipGitHub();
    await gh.createRelease({
      tag: "v1.2.0",
      target: "m",
      name: "Release v1.2.0",
      body: "notes",
      draft: true,
      prerelease: false,
    });
    gh.writes.length = 0;
  });

  it("records every image tag and publishes the draft when configured to", async () => {
    const config = configOf({ ship: { release: { publish: "after-images" } } });
    expect((await recordPublishedImages(gh.ports, { config, run })).reason).toBe("done");
    const release = gh.releases[0]!;
    expect(release.draft).toBe(false);
    // Each image once, with the tags the version gets, labelled as expected (not read from the run).
    expect(release.body).toContain("- `ghcr.io/o/api`: `1.2.0`, `1.2`, `1`, `latest`");
    expect(release.body).toContain("Expected tags");
    expect(release.body).toContain("[workflow run](https://g/runs/7)");
    expect((await recordPublishedImages(gh.ports, { config, run })).reason).toBe("already-done");
    expect(gh.writes).toEqual(["update release v1.2.0 (publish)"]);
  });

  it("says so in the notes when the run failed, and ignores other workflows and branch runs", async () => {
    expect(
      (await recordPublishedImages(gh.ports, { config: configOf(), run: { ...run, conclusion: "failure" } }))
        .reason,
    ).toBe("failed");
    expect(gh.releases[0]?.body).toContain("ended with **failure**");
    expect(gh.releases[0]?.draft).toBe(true);
    expect(
      (
        await recordPublishedImages(gh.ports, {
          config: configOf(),
          run: { ...run, path: ".github/workflows/ci.yml" },
        })
      ).reason,
    ).toBe("ignored");
    expect(
      (await recordPublishedImages(gh.ports, { config: configOf(), run: { ...run, headBranch: "main" } }))
        .reason,
    ).toBe("ignored");
    expect(
      (await recordPublishedImages(gh.ports, { config: configOf(), run: { ...run, headBranch: "v9.9.9" } }))
        .reason,
    ).toBe("not-found");
  });
});

describe("startImagePublishing", () => {
  const WORKFLOW = ".github/workflows/publish-images.yml";
  // The release guide's own workflow: `on: release: types: [published]`, no workflow_dispatch.
  const GUIDE = "name: Publish Docker Images\n\non:\n  release:\n    types: [published]\n\njobs: {}\n";
  let gh: FakeShipGitHub;
  const start = async (config = configOf()) => {
    const release = (await gh.findRelease("v1.2.0"))!;
    return startImagePublishing(gh.ports, { config, tag: "v1.2.0", version: "1.2.0", commit: "m", release });
  };
  beforeEach(async () => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.2.0", { commit: "m" });
    await gh.createRelease({
      tag: "v1.2.0",
      target: "m",
      name: "Release v1.2.0",
      body: "notes\n\n**Full Changelog**: https://github.com/o/r/compare/v1.1.0...v1.2.0\n",
      draft: true,
      prerelease: false,
    });
    gh.writes.length = 0;
  });

  it("does not dispatch the guide's release-event workflow: the notes and the reply say the release event builds the images", async () => {
    gh.files.set("m", { [WORKFLOW]: GUIDE });
    const started = await start();
    expect(started).toEqual({ note: expect.stringContaining("has no `workflow_dispatch` trigger") });
    expect(started && "note" in started && started.note).toContain("Publish the draft release to start it");
    expect(gh.writes).toEqual(["update release v1.2.0"]);
    const body = gh.releases[0]!.body;
    expect(body).toContain("when this release is published");
    expect(body).toContain("- `ghcr.io/o/api`: `1.2.0`, `1.2`, `1`, `latest`");
    expect(body.trimEnd().split("\n").at(-1)).toMatch(/^\*\*Full Changelog\*\*/);
    // Redelivered: nothing dispatched, nothing rewritten.
    gh.writes.length = 0;
    expect(await start()).toEqual({ note: expect.any(String) });
    expect(gh.writes).toEqual([]);
  });

  it("falls back when GitHub answers 422 for a workflow it could not read, and reports other refusals", async () => {
    gh.files.set("m", { [WORKFLOW]: "{{ not yaml" });
    gh.dispatchWorkflow = async () => {
      // What GitHub answers for a workflow without the trigger (POST .../dispatches, 422).
      throw Object.assign(new Error("Workflow does not have 'workflow_dispatch' trigger"), { status: 422 });
    };
    expect(await start()).toEqual({ note: expect.stringContaining("no `workflow_dispatch` trigger") });
    expect(gh.releases[0]!.body).toContain("when this release is published");
    gh.releases[0]!.body = "notes";
    gh.dispatchWorkflow = async () => {
      throw Object.assign(new Error("Server Error"), { status: 500 });
    };
    expect(await start()).toEqual({
      problem: "Could not dispatch `publish-images.yml` (GitHub answered 500).",
    });
  });

  it("says what to add when the workflow has neither trigger", async () => {
    gh.files.set("m", { [WORKFLOW]: "on:\n  push:\n    tags: ['v*']\njobs: {}\n" });
    expect(await start()).toEqual({
      problem: expect.stringContaining("has neither a `workflow_dispatch` nor a `release` trigger"),
    });
    expect(gh.writes).toEqual([]);
  });

  it("dispatches with the version only when the workflow declares that input, and links the run", async () => {
    gh.files.set("m", { [WORKFLOW]: "on:\n  workflow_dispatch:\njobs: {}\n" });
    const started = await start();
    expect(gh.runs[0]?.inputs).toEqual({});
    expect(started).toEqual({ runUrl: gh.runs[0]?.url });
    expect(gh.releases[0]!.body).toContain(
      `Building and pushing the images: [workflow run](${gh.runs[0]?.url})`,
    );
    gh.runs.length = 0;
    gh.releases[0]!.body = "notes";
    gh.files.set("m", {
      [WORKFLOW]: "on:\n  workflow_dispatch:\n    inputs:\n      version: {required: true}\n",
    });
    await start();
    expect(gh.runs[0]?.inputs).toEqual({ version: "1.2.0" });
  });
});

describe("finalizeRelease with models", () => {
  it("lists the tagged model versions in the shipped comment", async () => {
    const gh = new FakeShipGitHub();
    gh.files.set("m1", { "CHANGELOG.md": "## [1.0.0] - 2025-01-01\n\n### Added\n- A\n" });
    const tags: string[] = [];
    const registry: ModelRegistry = {
      getModelVersionMetrics: async (ref) => ({
        name: ref.name,
        version: "7",
        runId: "r",
        metrics: {},
        url: "https://mlflow/7",
      }),
      tagModelVersion: async (name, version, key, value) =>
        void tags.push(`${name}@${version} ${key}=${value}`),
    };
    await finalizeRelease(
      { ...gh.ports, models: registry },
      {
        config: configOf({ ship: { models: [{ name: "BankChurn-XGBoost" }], images: { mode: "off" } } }),
        pull: { number: 2, title: "Release v1.0.0", url: "u", mergeSha: "m1" },
        ship: { kind: "release", version: "1.0.0" },
      },
    );
    expect(tags).toEqual(["BankChurn-XGBoost@7 version=1.0.0", "BankChurn-XGBoost@7 stage=production"]);
    expect(gh.comments[0]?.body).toContain("[BankChurn-XGBoost v7](https://mlflow/7) tagged");
    expect(gh.runs).toHaveLength(0);
  });
});
