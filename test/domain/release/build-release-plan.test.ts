import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../../src/config/schema.js";
import { releaseSection, type ReleaseConfig } from "../../../src/config/sections/release-section.js";
import { buildReleasePlan } from "../../../src/domain/release/build-release-plan.js";
import {
  type PlanCommit,
  type ReleasePlan,
  type ReleasePlanInput,
} from "../../../src/domain/release/release-plan.js";
import { fixtureTree } from "./fixture-tree.js";

const commits: PlanCommit[] = [
  {
    sha: "c3",
    message: "fix(telecom): handle empty payload",
    files: ["TelecomAI-Customer-Intelligence/src/telecom/api.py"],
    date: "2025-01-14T10:00:00Z",
  },
  {
    sha: "c2",
    message: "feat: batch prediction endpoint",
    files: ["BankChurn-Predictor/src/bankchurn/api.py"],
    date: "2025-01-10T10:00:00Z",
  },
  {
    sha: "c1",
    message: "chore: bump ci cache",
    files: [".github/workflows/ci.yml"],
    date: "2025-01-02T09:00:00Z",
  },
];

const input = (over: Partial<ReleasePlanInput> = {}): ReleasePlanInput => ({
  config: defaultConfig().release,
  request: { kind: "auto" },
  files: fixtureTree(),
  latestTag: "v1.1.0",
  commits,
  date: "2025-01-15",
  repoUrl: "https://github.com/DuqueOM/ML-MLOps-Portfolio",
  ...over,
});

const plan = (over: Partial<ReleasePlanInput> = {}): ReleasePlan => {
  const result = buildReleasePlan(input(over));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

const file = (p: ReleasePlan, path: string) => p.files.find((f) => f.path === path);

describe("buildReleasePlan on the guide's monorepo", () => {
  it("derives a minor bump from a feat and bumps every service's version files", () => {
    const p = plan();
    expect(p).toMatchObject({
      version: "1.2.0",
      previousVersion: "1.1.0",
      bump: "minor",
      tag: "v1.2.0",
      branch: "release/v1.2.0",
      startsFrom: "tag v1.1.0",
    });
    expect(p.files.map((f) => f.path)).toEqual([
      "BankChurn-Predictor/Dockerfile",
      "BankChurn-Predictor/pyproject.toml",
      "BankChurn-Predictor/src/bankchurn/__init__.py",
      "CarVision-Market-Intelligence/Dockerfile",
      "CarVision-Market-Intelligence/pyproject.toml",
      "CarVision-Market-Intelligence/src/carvision/__init__.py",
      "TelecomAI-Customer-Intelligence/Dockerfile",
      "TelecomAI-Customer-Intelligence/pyproject.toml",
      "TelecomAI-Customer-Intelligence/src/telecom/__init__.py",
      "CHANGELOG.md",
    ]);
    const docker = file(p, "BankChurn-Predictor/Dockerfile")!;
    expect(docker.after).toBe(docker.before.replaceAll('version="1.1.0"', 'version="1.2.0"'));
    expect(file(p, "BankChurn-Predictor/pyproject.toml")!.after).toContain(
      'version = "1.2.0"  # managed by release-pilot',
    );
    expect(file(p, "BankChurn-Predictor/pyproject.toml")!.fromVersion).toBe("1.1.0");
    expect(p.skipped).toEqual([]);
    expect(p.versionSources[0]).toEqual({ source: "tag v1.1.0", version: "1.1.0" });
    expect(p.warnings.filter((w) => /disagree/.test(w))).toEqual([]);
  });

  it("generates the CHANGELOG section from the commits when Unreleased is empty", () => {
    const p = plan();
    expect(p.changelog).toEqual({
      path: "CHANGELOG.md",
      section:
        "### Added\n- **BankChurn-Predictor**: Batch prediction endpoint\n\n### Fixed\n- **TelecomAI-Customer-Intelligence**: Handle empty payload",
      notesFrom: "3 commit(s) (Unreleased is empty)",
    });
    const changelog = file(p, "CHANGELOG.md")!;
    expect(changelog.after).toContain("## [Unreleased]\n\n## [1.2.0] - 2025-01-15\n\n### Added");
    expect(changelog.after).toContain(
      "[Unreleased]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...v1.2.0\n[1.1.0]:",
    );
    expect(p.warnings).toContain("Unreleased is empty: notes generated from 3 commit(s).");
  });

  it("uses Unreleased notes as they are when present", () => {
    const tree = fixtureTree();
    tree.files.set(
      "CHANGELOG.md",
      tree
        .read("CHANGELOG.md")!
        .replace(
          "## [Unreleased]\n",
          "## [Unreleased]\n\n### Security\n- Updated dependencies with CVE fixes\n",
        ),
    );
    const p = plan({ files: tree, request: { kind: "bump", bump: "patch" } });
    expect(p.version).toBe("1.1.1");
    expect(p.changelog.section).toBe("### Security\n- Updated dependencies with CVE fixes");
  });

  it("starts from the newest CHANGELOG release when there is no tag; files at other versions are not lockstep", () => {
    const tree = fixtureTree();
    tree.files.set(
      "CHANGELOG.md",
      tree.read("CHANGELOG.md")!.replace("## [1.1.0] - 2025-01-02", "## [5.1.0] - 2025-01-02"),
    );
    tree.files.set(
      "BankChurn-Predictor/pyproject.toml",
      tree.read("BankChurn-Predictor/pyproject.toml")!.replace('version = "1.1.0"', 'version = "1.0.0"'),
    );
    const p = plan({
      files: tree,
      latestTag: undefined,
      rangeFrom: "abc1234",
      request: { kind: "bump", bump: "minor" },
    });
    expect(p.version).toBe("5.2.0");
    expect(p.startsFrom).toBe("CHANGELOG.md");
    expect(p.versionSources).toEqual([{ source: "CHANGELOG.md", version: "5.1.0" }]);
    expect(p.files.map((f) => f.path)).toEqual(["CHANGELOG.md"]);
    expect(p.skipped).toContainEqual({
      path: "BankChurn-Predictor/pyproject.toml",
      reason:
        "at 1.0.0, not the release's 5.1.0: versioned on its own, not edited (list it in versionFiles to bump it with releases)",
    });
    expect(p.warnings).toContain(
      "No version file carries the release's current version 5.1.0, so none is edited; list the ones that follow releases in versionFiles.",
    );
  });

  it("reports disagreeing release sources and starts from the highest", () => {
    const tree = fixtureTree();
    tree.files.set(
      "BankChurn-Predictor/pyproject.toml",
      tree.read("BankChurn-Predictor/pyproject.toml")!.replace('version = "1.1.0"', 'version = "1.0.0"'),
    );
    const p = plan({ files: tree, latestTag: "v1.0.0", request: { kind: "bump", bump: "minor" } });
    expect(p.version).toBe("1.2.0");
    const disagree = p.warnings.find((w) => w.startsWith("Version sources disagree"));
    expect(disagree).toContain("tag v1.0.0 says 1.0.0");
    expect(disagree).toContain("the bump starts from CHANGELOG.md (1.1.0)");
    // A file left at the stale tag's version still follows releases: it is bumped with the rest.
    expect(p.skipped).toEqual([]);
    expect(file(p, "BankChurn-Predictor/pyproject.toml")).toMatchObject({ fromVersion: "1.0.0" });
    expect(file(p, "CarVision-Market-Intelligence/pyproject.toml")!.after).toContain('version = "1.2.0"');
  });

  it("with no tag, refuses rather than pick commits by date; a given range start is used", () => {
    const refused = buildReleasePlan(input({ latestTag: undefined }));
    expect(!refused.ok && refused.error.code).toBe("no-range");
    expect(!refused.ok && refused.error.message).toMatch(/--from <ref>/);
    const p = plan({ latestTag: undefined, rangeFrom: "abc1234" });
    expect(p.version).toBe("1.2.0");
    expect(p.changelog.section).toContain("Batch prediction endpoint");
  });

  it("reports a version file with no version instead of editing it", () => {
    const tree = fixtureTree();
    tree.files.set(
      "TelecomAI-Customer-Intelligence/pyproject.toml",
      '[project]\nname = "telecom"\ndynamic = ["version"]\n',
    );
    const p = plan({ files: tree });
    expect(p.skipped).toEqual([
      {
        path: "TelecomAI-Customer-Intelligence/pyproject.toml",
        reason: "no version found (pyproject); not edited",
      },
    ]);
    expect(file(p, "TelecomAI-Customer-Intelligence/pyproject.toml")).toBeUndefined();
  });

  it("bumps image tags in configured manifests and compose files", () => {
    const config: ReleaseConfig = releaseSection.parse({
      projects: [
        {
          name: "BankChurn",
          path: "BankChurn-Predictor",
          image: "ghcr.io/duqueom/bankchurn-api",
          manifests: ["k8s/bankchurn-*.yaml", "docker-compose.*.yml"],
        },
        {
          name: "CarVision",
          path: "./CarVision-Market-Intelligence/",
          image: "ghcr.io/duqueom/carvision-api",
          manifests: ["k8s/nothing.yaml"],
        },
      ],
    });
    const p = plan({ config });
    expect(p.projects.map((x) => x.name)).toEqual(["BankChurn", "CarVision"]);
    expect(file(p, "k8s/bankchurn-deployment.yaml")!.after).toContain(
      "image: ghcr.io/duqueom/bankchurn-api:1.2.0 # pinned by release-pilot",
    );
    expect(file(p, "docker-compose.demo.yml")!.after).toBe(
      'services:\n  bankchurn:\n    image: ghcr.io/duqueom/bankchurn-api:1.2.0\n    ports: ["8001:8000"]\n  carvision:\n    image: ghcr.io/duqueom/carvision-api:latest\n  redis:\n    image: redis:7.2\n',
    );
    expect(file(p, "TelecomAI-Customer-Intelligence/pyproject.toml")).toBeUndefined();
    expect(p.warnings).toContain('CarVision: configured file "k8s/nothing.yaml" matches nothing.');
    expect(p.changelog.section).toContain("- **BankChurn**: Batch prediction endpoint");
  });
});

describe("requests", () => {
  it.each([
    [{ kind: "exact", version: "2.0.0" }, "2.0.0"],
    [{ kind: "bump", bump: "major" }, "2.0.0"],
    [{ kind: "bump", bump: "minor", pre: "rc" }, "1.2.0-rc.1"],
    [{ kind: "exact", version: "1.3.0-rc.1" }, "1.3.0-rc.1"],
    [{ kind: "auto", pre: "beta" }, "1.2.0-beta.1"],
  ] as const)("%j → %s", (request, version) => {
    expect(plan({ request }).version).toBe(version);
  });

  it("continues a pre-release line", () => {
    const rc = plan({ latestTag: "v1.2.0-rc.1", request: { kind: "bump", bump: "minor", pre: "rc" } });
    expect(rc.version).toBe("1.2.0-rc.2");
    // Files still at the CHANGELOG's 1.1.0 follow the release line.
    expect(file(rc, "BankChurn-Predictor/pyproject.toml")!.after).toContain('version = "1.2.0-rc.2"');
    expect(plan({ latestTag: "v1.2.0-rc.2", request: { kind: "exact", version: "1.2.0" } }).version).toBe(
      "1.2.0",
    );
  });

  it.each([
    [{ kind: "exact", version: "1.1.0" }, "not-greater"],
    [{ kind: "exact", version: "1.0.9" }, "not-greater"],
    [{ kind: "exact", version: "1.2.0-rc.1" }, undefined],
    [{ kind: "exact", version: "v1.2.0" }, "bad-version"],
    [{ kind: "exact", version: "1.2" }, "bad-version"],
    [{ kind: "exact", version: "1.3.0-preview.1" }, "prerelease-not-allowed"],
    [{ kind: "bump", bump: "minor", pre: "../x" }, "prerelease-not-allowed"],
  ] as const)("%j → %s", (request, code) => {
    const result = buildReleasePlan(input({ request }));
    expect(result.ok ? undefined : result.error.code).toBe(code);
  });

  it("refuses a version the CHANGELOG already has, even behind a stale tag, naming the source", () => {
    const result = buildReleasePlan(
      input({ latestTag: "v1.0.0", request: { kind: "exact", version: "1.1.0" } }),
    );
    expect(!result.ok && result.error.code).toBe("not-greater");
    expect(!result.ok && result.error.message).toContain("CHANGELOG.md: 1.1.0");
    // A bump starts from the highest source (the CHANGELOG's 1.1.0), not from the stale tag.
    expect(plan({ latestTag: "v1.0.0", request: { kind: "bump", bump: "minor" } }).version).toBe("1.2.0");
  });

  it("ignores a tag that is not a release tag, and says so", () => {
    const p = plan({ latestTag: "nightly", rangeFrom: "nightly" });
    expect(p.warnings).toContain('Latest tag "nightly" ignored: tag does not start with "v".');
    expect(p.startsFrom).toBe("CHANGELOG.md");
  });
});

describe("first releases", () => {
  it("starts from a version file, creates the CHANGELOG and links the tag itself", () => {
    const files = new Map([["pyproject.toml", '[project]\nname = "x"\nversion = "0.1.0"\n']]);
    const p = plan({
      files: { list: () => [...files.keys()], read: (path) => files.get(path) },
      latestTag: undefined,
      commits: [{ sha: "a", message: "feat: first", files: ["x.py"], date: "2025-01-01" }],
    });
    expect(p).toMatchObject({ version: "0.2.0", previousVersion: "0.1.0", startsFrom: "pyproject.toml" });
    expect(p.files.find((f) => f.path === "CHANGELOG.md")).toMatchObject({ before: "" });
    expect(p.files.find((f) => f.path === "CHANGELOG.md")!.after).toContain(
      "[0.2.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/releases/tag/v0.2.0\n",
    );
    expect(p.warnings).toContain("CHANGELOG.md not found: it will be created.");
  });
  it("with no version anywhere, releases 0.x from 0.0.0 and says so", () => {
    const p = plan({
      files: { list: () => [], read: () => undefined },
      latestTag: undefined,
      request: { kind: "bump", bump: "minor" },
    });
    expect(p.version).toBe("0.1.0");
    expect(p.previousVersion).toBeUndefined();
    expect(p.startsFrom).toBe("none");
    expect(p.warnings[0]).toMatch(/No previous version found/);
  });
});
