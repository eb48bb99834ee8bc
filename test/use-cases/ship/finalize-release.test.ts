import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createMlflowClient } from "../../../src/adapters/mlflow/mlflow-client.js";
import { mlflowModelRegistry } from "../../../src/adapters/mlflow/mlflow-model-registry.js";
import { type Config, type ConfigInput, configSchema } from "../../../src/config/schema.js";
import type { ShipPull } from "../../../src/domain/ship/recognize-ship-pull.js";
import { RefRefusedError } from "../../../src/ports/ref-refused.js";
import { finalizeRelease, type MergedPull } from "../../../src/use-cases/ship/finalize-release.js";
import { tagModels } from "../../../src/use-cases/ship/tag-models.js";
import { type FakeMlflow, startFakeMlflow } from "../../adapters/mlflow/fake-mlflow-server.js";
import { FakeShipGitHub } from "./fake-ship-github.js";

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.1] - 2025-01-16

### Fixed
- Auth

## [1.2.0] - 2025-01-15

### Added
- Batch endpoint
`;

const configOf = (input: ConfigInput = {}): Config =>
  configSchema.parse({
    ...input,
    release: { projects: [{ name: "api", path: "api", image: "ghcr.io/o/api" }], ...input.release },
  });

const pull: MergedPull = {
  number: 5,
  title: "Release v1.2.0",
  url: "https://github.com/o/r/pull/5",
  mergeSha: "m1",
};
const releaseShip: ShipPull = { kind: "release", version: "1.2.0", previousVersion: "1.1.0" };

describe("finalizeRelease", () => {
  let gh: FakeShipGitHub;
  beforeEach(() => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.1.0", { commit: "old" });
    gh.files.set("m1", {
      "CHANGELOG.md": CHANGELOG,
      ".github/workflows/publish-images.yml":
        "on:\n  workflow_dispatch:\n    inputs:\n      version: { required: true }\n",
    });
    gh.issues.set(3, { state: "open", title: "Release 1.2.0", isPull: false });
    gh.comments.push({ id: 1, issue: 3, body: `Release cut: ${pull.url}` });
  });

  it("tells a failure part-way on the PR and the issue, then finishes without doing any step twice", async () => {
    gh.failOnce.add("mergeInto");
    const failed = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
    expect(failed.reason).toBe("failed");
    expect(failed.message).toBe(
      "v1.2.0 stopped at the back-merge into develop: GitHub answered 502. Remaining: back-merge, issue-comment, close-issue, pull-comment.",
    );
    expect(gh.writes).toEqual([
      "tag v1.2.0",
      "release v1.2.0",
      "dispatch publish-images.yml@v1.2.0",
      "update release v1.2.0",
      "comment #5",
      "comment #3",
    ]);
    const told = gh.comments.filter((c) => c.body.includes("release-pilot:ship-progress:v1.2.0"));
    expect(told.map((c) => c.issue)).toEqual([5, 3]);
    for (const c of told) {
      expect(c.body).toContain("### ⚠️ Shipping v1.2.0 stopped");
      expect(c.body).toContain("The back-merge into develop failed: GitHub answered 502.");
      expect(c.body).toContain("- ✅ tag on the merge commit");
      expect(c.body).toContain("- ✅ GitHub release (draft)");
      expect(c.body).toContain("- ❌ back-merge into develop: GitHub answered 502.");
      expect(c.body).toContain("- ⏳ tracking issue closed: remains");
      expect(c.body).toContain("comment `/ship` on the merged PR");
    }
    expect(gh.issues.get(3)?.state).toBe("open");

    const result = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
    expect(result.reason).toBe("already-done");
    // The issue's comment and close, then the PR's comment last; both progress comments edited.
    expect(gh.writes.slice(6)).toEqual([
      "merge main into develop",
      "comment #3",
      "close #3",
      "comment #5",
      `edit comment ${told[0]!.id}`,
      `edit comment ${told[1]!.id}`,
    ]);
    for (const c of told) {
      expect(c.body).toContain("### ✅ Shipping v1.2.0 completed");
      expect(c.body).not.toContain("⏳");
    }
    expect(gh.tags.get("v1.2.0")).toEqual({ commit: "m1", message: "Release version 1.2.0" });
    expect(gh.releases).toHaveLength(1);
    expect(gh.releases[0]).toMatchObject({
      name: "Release v1.2.0",
      draft: true,
      prerelease: false,
      target: "m1",
    });
    expect(gh.releases[0]?.body).toContain("- `ghcr.io/o/api`: `1.2.0`, `1.2`, `1`, `latest`");
    expect(gh.releases[0]?.body).toContain("- @alice");
    expect(gh.releases[0]?.body).toContain(gh.runs[0]!.url);
    expect(gh.runs[0]?.inputs).toEqual({ version: "1.2.0" });

    // A third run changes nothing: no comment posted or edited again.
    await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
    expect(gh.writes).toHaveLength(12);
    expect(gh.comments.filter((c) => c.issue === 5)).toHaveLength(2);
    expect(gh.comments.filter((c) => c.issue === 3 && c.body.includes("shipped:v1.2.0"))).toHaveLength(1);
  });

  it("tells a failed read of the tracking issue on the PR before any step; after shipping, such a failure tells nothing", async () => {
    gh.failOnce.add("getIssue");
    const failed = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
    expect(failed).toEqual({
      reason: "failed",
      message:
        "v1.2.0 stopped before its first step: reading the tracking issue failed: GitHub answered 502. Remaining: tag, release, images, back-merge, issue-comment, close-issue, pull-comment.",
    });
    // Nothing shipped; told on the PR only (the issue could not be read).
    expect(gh.writes).toEqual(["comment #5"]);
    const told = gh.comments.find((c) => c.issue === 5)?.body ?? "";
    expect(told).toContain("Nothing is done yet: reading the tracking issue failed before the first step");

    expect((await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip })).reason).toBe(
      "done",
    );
    expect(gh.writes.filter((w) => w === "tag v1.2.0")).toHaveLength(1);
    expect(gh.comments.find((c) => c.body === told)).toBeUndefined(); // edited to say it completed

    // A later run (a redelivery, `/ship`) on the shipped PR whose issue read fails posts no "stopped".
    const before = gh.writes.length;
    gh.failOnce.add("getIssue");
    expect((await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip })).reason).toBe(
      "failed",
    );
    expect(gh.writes).toHaveLength(before);
  });

  it("edits its progress comment in place across failing runs, never posting a second one", async () => {
    gh.failOnce.add("createRelease");
    expect((await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip })).reason).toBe(
      "failed",
    );
    gh.failOnce.add("closeIssue");
    const second = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
    expect(second.message).toContain("stopped at the tracking issue closed: GitHub answered 502.");
    const told = gh.comments.filter((c) => c.body.includes("release-pilot:ship-progress:v1.2.0"));
    expect(told.map((c) => c.issue)).toEqual([5, 3]);
    expect(told[0]?.body).toContain("- ✅ GitHub release (draft)");
    expect(told[0]?.body).toContain("- ✅ comment on the tracking issue");
    expect(told[0]?.body).toContain("- ❌ tracking issue closed: GitHub answered 502.");
    expect(told[0]?.body).toContain("- ⏳ comment on this PR: remains");
    expect(gh.writes.filter((w) => w === "release v1.2.0")).toHaveLength(1);
    expect(gh.writes.filter((w) => w === "tag v1.2.0")).toHaveLength(1);
    // The hidden state line records what is done for the next reader.
    expect(told[0]?.body).toMatch(
      /<!-- release-pilot:ship-state \{"done":\["tag","release","images","back-merge","issue-comment"\],"complete":false,"failed":"close-issue"\} -->/,
    );
  });

  it("reports a tag on another commit once and releases nothing", async () => {
    gh.tags.set("v1.2.0", { commit: "elsewhere" });
    for (let i = 0; i < 2; i++) {
      const result = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
      expect(result.reason).toBe("conflict");
    }
    expect(gh.writes).toEqual(["comment #5"]);
    expect(gh.comments.at(-1)?.body).toContain("already exists on commit `elsewhe`");
    expect(gh.tags.get("v1.2.0")?.commit).toBe("elsewhere");
  });

  it("reports a tag refused by a ruleset once, with what to do, and releases nothing", async () => {
    // What the GitHub adapter throws for "Cannot create ref due to creations being restricted."
    gh.createAnnotatedTag = () =>
      Promise.reject(
        new RefRefusedError(
          "refs/tags/v1.2.0",
          "restricted",
          "GitHub refused to write `refs/tags/v1.2.0`: a repository ruleset restricts it. Add release-pilot to the ruleset's bypass list.",
        ),
      );
    for (let i = 0; i < 2; i++) {
      const result = await finalizeRelease(gh.ports, { config: configOf(), pull, ship: releaseShip });
      expect(result.reason).toBe("failed");
      expect(result.message).toMatch(
        /^v1\.2\.0 stopped at the tag on the merge commit: GitHub refused to write/,
      );
    }
    // One progress comment on the PR and one on the issue, the second run changing neither.
    expect(gh.writes).toEqual(["comment #5", "comment #3"]);
    expect(gh.comments.at(-1)?.body).toContain(
      "The tag on the merge commit failed: GitHub refused to write 'refs/tags/v1.2.0'",
    );
    expect(gh.comments.at(-1)?.body).toContain("bypass list");
    expect(gh.comments.at(-1)?.body).toContain("- ⏳ GitHub release: remains");
    expect(gh.releases).toEqual([]);
  });

  it("opens one back-merge PR when direct merges are off, or refused by protection", async () => {
    await finalizeRelease(gh.ports, {
      config: configOf({ ship: { backMerge: { direct: false } } }),
      pull,
      ship: releaseShip,
    });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]).toMatchObject({
      head: "main",
      base: "develop",
      title: "Back-merge v1.2.0 into develop",
    });
    expect(gh.pulls[0]?.body).toContain("turned off");
    await finalizeRelease(gh.ports, {
      config: configOf({ ship: { backMerge: { direct: false } } }),
      pull,
      ship: releaseShip,
    });
    expect(gh.pulls).toHaveLength(1);

    const refused = new FakeShipGitHub();
    refused.files = gh.files;
    refused.mergeAnswer = { kind: "refused", status: 403 };
    refused.compareAnswer = (base) => ({
      aheadBy: 2,
      authors: [],
      files: base === "develop" ? ["a", "b"] : ["b", "c"],
    });
    await finalizeRelease(refused.ports, { config: configOf(), pull, ship: releaseShip });
    expect(refused.pulls[0]?.body).toContain("- `b`");
    expect(refused.comments.find((c) => c.issue === 5)?.body).toContain(
      `Back-merge PR: ${refused.pulls[0]!.url}`,
    );
  });

  it("marks a -rc release as a pre-release and leaves images to the release event when so configured", async () => {
    gh.files.set("m1", { "CHANGELOG.md": "## [1.3.0-rc.1] - 2025-02-01\n\n### Added\n- RC\n" });
    const result = await finalizeRelease(gh.ports, {
      config: configOf({ ship: { images: { mode: "release-event" } } }),
      pull,
      ship: { kind: "release", version: "1.3.0-rc.1" },
    });
    expect(result.reason).toBe("done");
    expect(gh.releases[0]).toMatchObject({ tag: "v1.3.0-rc.1", prerelease: true });
    expect(gh.releases[0]?.body).toContain("when this release is published");
    expect(gh.runs).toHaveLength(0);
    expect(gh.releases[0]?.body).toContain("https://github.com/o/r/compare/v1.1.0...v1.3.0-rc.1");
  });

  it("takes a hotfix's version from its CHANGELOG when it carries no marker, and refuses one without a bump", async () => {
    gh.tags.set("v1.2.0", { commit: "r1" });
    gh.issues.set(42, { state: "open", title: "auth", isPull: false });
    const hotfix = { ...pull, title: "Fix auth", mergeSha: "m1" };
    const result = await finalizeRelease(gh.ports, {
      config: configOf(),
      pull: hotfix,
      ship: { kind: "hotfix", issue: 42 },
    });
    expect(result.reason).toBe("done");
    expect(gh.tags.get("v1.2.1")).toEqual({ commit: "m1", message: "Hotfix: Fix auth" });
    expect(gh.releases[0]?.body).toContain("compare/v1.2.0...v1.2.1");
    expect(gh.issues.get(42)?.state).toBe("closed");

    const stale = new FakeShipGitHub();
    stale.tags.set("v1.2.1", { commit: "m1" });
    stale.files = gh.files;
    const refused = await finalizeRelease(stale.ports, {
      config: configOf(),
      pull: { ...hotfix, mergeSha: "m2" },
      ship: { kind: "hotfix" },
    });
    expect(refused.reason).toBe("bad-command");
    await finalizeRelease(stale.ports, {
      config: configOf(),
      pull: { ...hotfix, mergeSha: "m2" },
      ship: { kind: "hotfix" },
    });
    expect(stale.writes).toEqual(["comment #5"]);
    expect(stale.comments[0]?.body).toContain("merged without a version bump");
  });
});

describe("tagModels against a local MLflow server", () => {
  let mlflow: FakeMlflow;
  beforeAll(async () => {
    mlflow = await startFakeMlflow();
    mlflow.versions.push(
      { name: "BankChurn-XGBoost", version: "3", current_stage: "Staging", run_id: "r3" },
      { name: "BankChurn-XGBoost", version: "4", current_stage: "None", run_id: "r4", aliases: ["champion"] },
    );
    mlflow.runs.r3 = [{ key: "f1", value: 0.9 }];
    mlflow.runs.r4 = [{ key: "f1", value: 0.91 }];
  });
  afterAll(async () => {
    await mlflow?.close();
  });

  it("tags the shipping version of each model with the release version and stage; reports the missing ones", async () => {
    const registry = mlflowModelRegistry(createMlflowClient({ baseUrl: mlflow.url, token: mlflow.token }));
    const result = await tagModels(registry, {
      version: "1.2.0",
      models: [
        { name: "BankChurn-XGBoost", fromStage: "Staging", stage: "production" },
        { name: "BankChurn-XGBoost", alias: "champion", stage: "canary" },
        { name: "Nope", stage: "production" },
      ],
    });
    expect(result.tagged.map((t) => [t.name, t.version])).toEqual([
      ["BankChurn-XGBoost", "3"],
      ["BankChurn-XGBoost", "4"],
    ]);
    expect(mlflow.tags).toEqual([
      { name: "BankChurn-XGBoost", version: "3", key: "version", value: "1.2.0" },
      { name: "BankChurn-XGBoost", version: "3", key: "stage", value: "production" },
      { name: "BankChurn-XGBoost", version: "4", key: "version", value: "1.2.0" },
      { name: "BankChurn-XGBoost", version: "4", key: "stage", value: "canary" },
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain("Model Nope was not tagged");
  });

  it("says so when models are configured but no registry is", async () => {
    expect(
      await tagModels(undefined, { version: "1.0.0", models: [{ name: "m", stage: "production" }] }),
    ).toEqual({
      tagged: [],
      problems: [
        "Models are configured but no MLflow server serves this repository (`mlflow` in the operator's RELEASE_PILOT_SETTINGS file).",
      ],
    });
    expect(await tagModels(undefined, { version: "1.0.0", models: [] })).toEqual({
      tagged: [],
      problems: [],
    });
  });
});
