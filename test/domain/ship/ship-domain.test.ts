import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { releaseSection } from "../../../src/config/sections/release-section.js";
import {
  conflictCandidates,
  decideBackMerge,
  renderBackMergeBody,
} from "../../../src/domain/ship/decide-back-merge.js";
import { imageRefs, imageTags } from "../../../src/domain/ship/image-tags.js";
import {
  mightShip,
  type PullFacts,
  recognizeShipPull,
} from "../../../src/domain/ship/recognize-ship-pull.js";
import {
  buildReleaseBody,
  imagesStateOf,
  type ImagesState,
  withImagesBlock,
  IMAGES_END,
  IMAGES_START,
} from "../../../src/domain/ship/release-body.js";
import { parseWorkflowTriggers } from "../../../src/domain/ship/workflow-triggers.js";
import { buildRevertPlan, overlayTree } from "../../../src/domain/ship/revert-plan.js";
import { parseShipMarker, renderShipMarker, withShipMarker } from "../../../src/domain/ship/ship-marker.js";
import { renderShippedComment, shippedMarker } from "../../../src/domain/ship/shipped-comment.js";
import { renderTagMessage } from "../../../src/domain/ship/tag-message.js";
import { latestReleaseTag, previousReleaseTag } from "../../../src/domain/ship/version-tags.js";
import { parseVersion } from "../../../src/domain/version/version.js";

const release = releaseSection.parse({});
const pull = (over: Partial<PullFacts>): PullFacts => ({
  number: 7,
  title: "t",
  body: null,
  head: "feature/x",
  base: "main",
  labels: [],
  merged: true,
  sameRepo: true,
  ...over,
});
const tree = (files: Record<string, string>) => ({
  list: () => Object.keys(files),
  read: (p: string) => files[p],
});

describe("ship markers", () => {
  it("round-trips every field and reads a release PR's marker as a release", () => {
    const marker = {
      kind: "revert" as const,
      version: "1.2.1",
      previousVersion: "1.2.0",
      issue: 4,
      reverts: "1.2.0",
    };
    expect(parseShipMarker(`text\n${renderShipMarker(marker)}\nmore`)).toEqual(marker);
    expect(parseShipMarker('<!-- release-pilot: {"version":"1.2.0","previousVersion":"1.1.0"} -->')).toEqual({
      kind: "release",
      version: "1.2.0",
      previousVersion: "1.1.0",
    });
  });

  it("never throws on junk and drops invalid fields", () => {
    for (const body of [
      null,
      "",
      "<!-- release-pilot: {oops} -->",
      '<!-- release-pilot: {"version":"v1"} -->',
    ])
      expect(parseShipMarker(body)).toBeUndefined();
    expect(parseShipMarker('<!-- release-pilot: {"version":"1.0.1","issue":-3,"kind":"x"} -->')).toEqual({
      kind: "release",
      version: "1.0.1",
    });
  });

  it("appends a marker to a body once, and replaces it afterwards", () => {
    const once = withShipMarker("Fixes auth.", { kind: "hotfix", version: "1.2.1" });
    expect(once).toBe('Fixes auth.\n\n<!-- release-pilot: {"kind":"hotfix","version":"1.2.1"} -->\n');
    const twice = withShipMarker(once, { kind: "hotfix", version: "1.2.2" });
    expect(twice.match(/release-pilot:/g)).toHaveLength(1);
    expect(parseShipMarker(twice)?.version).toBe("1.2.2");
    expect(withShipMarker(null, { kind: "hotfix", version: "1.0.1" })).toBe(
      '<!-- release-pilot: {"kind":"hotfix","version":"1.0.1"} -->\n',
    );
  });
});

describe("recognising PRs that ship", () => {
  it.each([
    ["release branch", pull({ head: "release/v1.2.0" }), { kind: "release", version: "1.2.0" }],
    [
      "release marker",
      pull({
        head: "release/v1.2.0",
        body: '<!-- release-pilot: {"version":"1.2.0","previousVersion":"1.1.0"} -->',
      }),
      { kind: "release", version: "1.2.0", previousVersion: "1.1.0" },
    ],
    ["hotfix branch", pull({ head: "hotfix/42-fix-auth" }), { kind: "hotfix", issue: 42 }],
    ["hotfix label", pull({ head: "urgent", labels: ["HotFix"] }), { kind: "hotfix" }],
    [
      "bumped hotfix",
      pull({
        head: "hotfix/42-fix",
        body: renderShipMarker({ kind: "hotfix", version: "1.2.1", previousVersion: "1.2.0" }),
      }),
      { kind: "hotfix", version: "1.2.1", previousVersion: "1.2.0", issue: 42 },
    ],
    [
      "revert",
      pull({
        head: "revert/v1.2.0",
        body: renderShipMarker({ kind: "revert", version: "1.2.1", reverts: "1.2.0", issue: 9 }),
      }),
      { kind: "revert", version: "1.2.1", reverts: "1.2.0", issue: 9 },
    ],
  ])("%s", (_name, facts, expected) => {
    expect(recognizeShipPull(facts, release, "hotfix")).toEqual(expected);
  });

  it.each([
    ["a feature PR", pull({})],
    ["a release branch into develop", pull({ head: "release/v1.2.0", base: "develop" })],
    ["a revert branch we did not open", pull({ head: "revert/v1.2.0" })],
    ["a labelled PR with another label", pull({ labels: ["docs"] })],
  ])("ignores %s", (_name, facts) => {
    expect(recognizeShipPull(facts, release, "hotfix")).toBeUndefined();
  });

  it("drops plain or unmerged PRs before any API call", () => {
    expect(mightShip(pull({}))).toBe(false);
    expect(mightShip(pull({ head: "release/v1.2.0", merged: false }))).toBe(false);
    expect(mightShip(pull({ head: "hotfix/1-x" }))).toBe(true);
    expect(mightShip(pull({ labels: ["hotfix"] }))).toBe(true);
    expect(mightShip(pull({ body: renderShipMarker({ kind: "release", version: "1.0.0" }) }))).toBe(true);
  });
});

describe("tag messages, image tags and version tags", () => {
  it("writes the guide's tag messages", () => {
    expect(renderTagMessage({ kind: "release", version: "1.2.0" })).toBe("Release version 1.2.0");
    expect(renderTagMessage({ kind: "hotfix", version: "1.2.1", title: "Critical bug fix" })).toBe(
      "Hotfix: Critical bug fix",
    );
    expect(renderTagMessage({ kind: "revert", version: "1.2.1", restores: "1.1.0" })).toBe(
      "Rollback to v1.1.0 state",
    );
  });

  it("lists 1.2.0, 1.2, 1, latest, and only the version itself for a pre-release", () => {
    expect(imageTags("1.2.0")).toEqual(["1.2.0", "1.2", "1", "latest"]);
    expect(imageTags("1.3.0-rc.1")).toEqual(["1.3.0-rc.1"]);
    expect(imageTags("nope")).toEqual([]);
    expect(imageRefs(["ghcr.io/o/a"], "2.0.1")).toEqual([
      "ghcr.io/o/a:2.0.1",
      "ghcr.io/o/a:2.0",
      "ghcr.io/o/a:2",
      "ghcr.io/o/a:latest",
    ]);
  });

  it("finds the latest and previous final releases by SemVer order", () => {
    const tags = ["v1.10.0", "v1.9.3", "v2.0.0-rc.1", "v1.2.0", "junk", "x1.20.0"];
    expect(latestReleaseTag(tags, "v")?.tag).toBe("v1.10.0");
    const version = (text: string) => {
      const parsed = parseVersion(text);
      if (!parsed.ok) throw new Error(parsed.error.reason);
      return parsed.value;
    };
    expect(previousReleaseTag(tags, "v", version("1.10.0"))?.tag).toBe("v1.9.3");
    expect(previousReleaseTag(tags, "v", version("1.2.0"))).toBeUndefined();
    expect(latestReleaseTag([], "v")).toBeUndefined();
  });
});

describe("release body", () => {
  const changelog = `# Changelog

## [Unreleased]

## [1.2.0] - 2025-01-15

### Added
- Batch endpoint

### Fixed
- CORS

## [1.1.0] - 2025-01-02

### Added
- First
`;

  it("renders the CHANGELOG section through the guide's template", () => {
    const body = buildReleaseBody({
      version: "1.2.0",
      previousVersion: "1.1.0",
      tagPrefix: "v",
      repoUrl: "https://github.com/o/r",
      changelog,
      images: [{ service: "api", image: "ghcr.io/o/api" }],
      contributors: ["alice"],
    });
    expect(body).toContain("## 🎉 Release v1.2.0");
    expect(body).toMatch(/### 🚀 New Features\n- Batch endpoint\n\n### 🐛 Bug Fixes\n- CORS/);
    expect(body).not.toContain("First");
    expect(body).toContain("- `ghcr.io/o/api:1.2.0`");
    expect(body).toContain("- @alice");
    expect(body).toContain("**Full Changelog**: https://github.com/o/r/compare/v1.1.0...v1.2.0");
  });

  it("uses a configured template, a lead line, and the tag link for a first release", () => {
    const body = buildReleaseBody({
      version: "1.1.0",
      tagPrefix: "v",
      repoUrl: "https://github.com/o/r",
      changelog,
      images: [],
      contributors: [],
      template: "{{version}} {{compareUrl}}",
      lead: "Rollback to v1.0.0 state",
    });
    expect(body).toBe("> Rollback to v1.0.0 state\n\n1.1.0 https://github.com/o/r/releases/tag/v1.1.0");
  });

  it("keeps one image block in the Docker Images section, replaced as publishing goes on", () => {
    const notes = buildReleaseBody({
      version: "1.2.0",
      previousVersion: "1.1.0",
      tagPrefix: "v",
      repoUrl: "https://github.com/o/r",
      changelog,
      images: [{ service: "api", image: "ghcr.io/o/api" }],
      contributors: ["alice"],
    });
    expect(imagesStateOf(notes)).toBeUndefined();
    const images = ["ghcr.io/o/api"];
    const dispatched = withImagesBlock(notes, {
      kind: "dispatched",
      runUrl: "https://x/runs/1",
      images,
      version: "1.2.0",
    });
    expect(imagesStateOf(dispatched)).toBe("dispatched");
    const published = withImagesBlock(dispatched, {
      kind: "published",
      runUrl: "https://x/runs/1",
      images,
      version: "1.2.0",
    });
    expect(imagesStateOf(published)).toBe("published");
    // The list replaced where the template put it: one heading, each image once, the footer last.
    expect(published.match(/Docker Images/g)).toHaveLength(1);
    expect(published.match(/ghcr\.io\/o\/api/g)).toHaveLength(1);
    expect(published).toContain("- `ghcr.io/o/api`: `1.2.0`, `1.2`, `1`, `latest`");
    expect(published).toContain("Expected tags");
    expect(published.trimEnd().split("\n").at(-1)).toMatch(/^\*\*Full Changelog\*\*: /);
    expect(published.slice(0, published.indexOf(IMAGES_START))).toBe(
      notes.slice(0, notes.indexOf(IMAGES_START)),
    );
    expect(imagesStateOf(withImagesBlock("n", { kind: "failed", runUrl: "u", conclusion: "failure" }))).toBe(
      "failed",
    );
    expect(imagesStateOf("plain")).toBeUndefined();
  });

  it("puts the block before the Full Changelog footer when the template has no {{images}} line", () => {
    const body = "## v1.2.0\n\n- Fix\n\n**Full Changelog**: https://github.com/o/r/compare/v1.1.0...v1.2.0\n";
    const out = withImagesBlock(body, {
      kind: "release-event",
      images: ["ghcr.io/o/api", "ghcr.io/o/web"],
      version: "1.2.0",
    });
    expect(out.startsWith("## v1.2.0\n\n- Fix\n\n### 📦 Docker Images\n" + IMAGES_START)).toBe(true);
    expect(
      out.endsWith(`${IMAGES_END}\n\n**Full Changelog**: https://github.com/o/r/compare/v1.1.0...v1.2.0\n`),
    ).toBe(true);
    expect(imagesStateOf(out)).toBe("release-event");
    // No footer: appended at the end.
    expect(withImagesBlock("notes", { kind: "failed", runUrl: "u", conclusion: "x" })).toMatch(
      /^notes\n\n### 📦 Docker Images\n<!--[\s\S]*-->\n$/,
    );
  });

  it("is idempotent: the same state applied twice gives the same body", () => {
    const state = fc.oneof(
      fc.record({
        kind: fc.constant("dispatched" as const),
        runUrl: fc.webUrl(),
        images: fc.array(fc.constantFrom("ghcr.io/o/a", "ghcr.io/o/b")),
        version: fc.constantFrom("1.2.0", "2.0.0-rc.1"),
      }),
      fc.record({
        kind: fc.constant("release-event" as const),
        images: fc.array(fc.constantFrom("ghcr.io/o/a")),
        version: fc.constant("1.2.0"),
      }),
    ) as fc.Arbitrary<ImagesState>;
    fc.assert(
      fc.property(fc.string(), state, (body, s) => {
        const once = withImagesBlock(body, s);
        expect(withImagesBlock(once, s)).toBe(once);
      }),
    );
  });
});

describe("workflow triggers", () => {
  it("reads `on` as a string, a list or a map, with the dispatch inputs", () => {
    expect(parseWorkflowTriggers("on: push\njobs: {}\n")).toEqual({
      events: new Set(["push"]),
      dispatchInputs: new Set(),
    });
    expect(parseWorkflowTriggers("on: [push, workflow_dispatch]\n")?.events).toEqual(
      new Set(["push", "workflow_dispatch"]),
    );
    const guide = parseWorkflowTriggers("on:\n  release:\n    types: [published]\njobs: {}\n");
    expect(guide?.events).toEqual(new Set(["release"]));
    const both = parseWorkflowTriggers(
      "on:\n  release:\n    types: [published]\n  workflow_dispatch:\n    inputs:\n      version:\n        required: true\n",
    );
    expect(both).toEqual({
      events: new Set(["release", "workflow_dispatch"]),
      dispatchInputs: new Set(["version"]),
    });
    expect(parseWorkflowTriggers("on:\n  workflow_dispatch:\n")?.dispatchInputs).toEqual(new Set());
  });

  it("gives up (undefined) on text that is not a readable workflow, and on alias bombs", () => {
    expect(parseWorkflowTriggers("")).toBeUndefined();
    expect(parseWorkflowTriggers("on: [unclosed\n")).toBeUndefined();
    expect(parseWorkflowTriggers("- a list\n")).toBeUndefined();
    expect(parseWorkflowTriggers("name: no trigger\n")).toBeUndefined();
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
      .concat(
        Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
        ),
      )
      .concat(["on: push"])
      .join("\n");
    expect(parseWorkflowTriggers(bomb)).toBeUndefined();
    expect(parseWorkflowTriggers(`on: push\n#${"x".repeat(600 * 1024)}`)).toBeUndefined();
  });
});

describe("back-merge decision", () => {
  it("merges directly when allowed, falls back to a PR on conflict or refusal, does nothing when up to date", () => {
    expect(decideBackMerge({ aheadBy: 0, directAllowed: true })).toEqual({ kind: "up-to-date" });
    expect(decideBackMerge({ aheadBy: 2, directAllowed: true })).toEqual({ kind: "merge" });
    expect(
      decideBackMerge({
        aheadBy: 2,
        directAllowed: true,
        directFailed: "conflict",
        changedOnMain: ["b", "a", "c"],
        changedOnDevelop: ["c", "a"],
      }),
    ).toEqual({ kind: "pull", reason: "conflict", conflicts: ["a", "c"] });
    expect(decideBackMerge({ aheadBy: 1, directAllowed: true, directFailed: "refused" })).toMatchObject({
      kind: "pull",
      reason: "not-allowed",
    });
    expect(decideBackMerge({ aheadBy: 1, directAllowed: false })).toMatchObject({
      kind: "pull",
      reason: "not-allowed",
    });
  });

  it("names the files at risk in the PR body", () => {
    expect(conflictCandidates(["x", "x", "y"], ["x"])).toEqual(["x"]);
    const body = renderBackMergeBody({
      main: "main",
      develop: "develop",
      tag: "v1.2.1",
      reason: "conflict",
      conflicts: ["api.py"],
    });
    expect(body).toContain("does not merge cleanly");
    expect(body).toContain("- `api.py`");
  });
});

describe("revert plan", () => {
  it("puts back what the release changed, deletes what it added, and leaves later changes alone", () => {
    const previous = tree({ "a.py": "a1", "gone.py": "g", "CHANGELOG.md": "c1", "same.py": "s" });
    const released = tree({
      "a.py": "a2",
      "new.py": "n",
      "CHANGELOG.md": "c2",
      "b.py": "b2",
      "same.py": "s",
    });
    const main = tree({ "a.py": "a2", "new.py": "n", "CHANGELOG.md": "c3", "b.py": "b3", "same.py": "s" });
    const plan = buildRevertPlan({ previous, released, main, keep: ["CHANGELOG.md"] });
    expect([...plan.edits]).toEqual([
      ["a.py", "a1"],
      ["gone.py", "g"],
      ["new.py", null],
    ]);
    expect(plan.conflicts).toEqual(["b.py"]);
    expect(plan.withheld).toEqual([]);
    const reverted = overlayTree(main, plan.edits);
    expect(reverted.list().sort()).toEqual(["CHANGELOG.md", "a.py", "b.py", "gone.py", "same.py"]);
    expect(reverted.read("new.py")).toBeUndefined();
    expect(reverted.read("b.py")).toBe("b3");
  });
});

describe("revert plan and workflow files", () => {
  // GitHub refuses an App that creates or updates `.github/workflows/*` without the `workflows`
  // permission (https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/choosing-permissions-for-a-github-app),
  // and app.yml does not request it: the rollback leaves them for a person.
  it("withholds changed, added and removed workflow files and reverts the rest", () => {
    const previous = tree({
      ".github/workflows/ci.yml": "v1",
      ".github/workflows/old.yml": "o",
      "a.py": "a1",
    });
    const released = tree({
      ".github/workflows/ci.yml": "v2",
      ".github/workflows/new.yml": "n",
      "a.py": "a2",
    });
    const main = released;
    const plan = buildRevertPlan({ previous, released, main, keep: [] });
    expect([...plan.edits]).toEqual([["a.py", "a1"]]);
    expect(plan.withheld).toEqual([
      ".github/workflows/ci.yml",
      ".github/workflows/new.yml",
      ".github/workflows/old.yml",
    ]);
    expect(plan.conflicts).toEqual([]);
    // Other .github files are ordinary files.
    const config = buildRevertPlan({
      previous: tree({ ".github/release-pilot.yml": "x1" }),
      released: tree({ ".github/release-pilot.yml": "x2" }),
      main: tree({ ".github/release-pilot.yml": "x2" }),
      keep: [],
    });
    expect([...config.edits]).toEqual([[".github/release-pilot.yml", "x1"]]);
  });
});

describe("shipped comment", () => {
  it("carries its marker and every link", () => {
    const text = renderShippedComment({
      kind: "hotfix",
      tag: "v1.2.1",
      tagUrl: "https://g/releases/tag/v1.2.1",
      repoUrl: "https://g",
      release: { url: "https://g/releases/1", draft: true },
      images: { runUrl: "https://g/actions/runs/5" },
      backMerge: { kind: "pull", url: "https://g/pull/9" },
      models: [{ name: "BankChurn-XGBoost", version: "3", url: "https://m/3" }],
      problems: ["boom"],
    });
    expect(text.startsWith(shippedMarker("v1.2.1"))).toBe(true);
    for (const part of [
      "Hotfix v1.2.1 shipped",
      "(draft)",
      "runs/5",
      "pull/9",
      "[BankChurn-XGBoost v3](https://m/3)",
      "⚠️ boom",
    ])
      expect(text).toContain(part);
  });
});
