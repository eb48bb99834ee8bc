import { describe, expect, it } from "@jest/globals";
import { releaseSection } from "../../../src/config/sections/release-section.js";
import { buildReleasePlan } from "../../../src/domain/release/build-release-plan.js";
import { type ReleasePlan, type ReleasePlanInput } from "../../../src/domain/release/release-plan.js";

const tree = (files: Record<string, string>) => ({
  list: () => Object.keys(files).sort(),
  read: (path: string) => files[path],
});

const plan = (files: Record<string, string>, over: Partial<ReleasePlanInput> = {}): ReleasePlan => {
  const result = buildReleasePlan({
    config: releaseSection.parse({}),
    request: { kind: "bump", bump: "minor" },
    files: tree(files),
    latestTag: "v2.2.0",
    commits: [
      { sha: "a1", message: "feat: export to CSV", files: ["src/x.ts"], date: "2026-11-02T10:00:00Z" },
    ],
    date: "2026-12-01",
    repoUrl: "https://github.com/acme/shop",
    ...over,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const after = (p: ReleasePlan, path: string) => p.files.find((f) => f.path === path)?.after;

const CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [2.2.0] - 2026-10-01\n\n### Added\n\n- Carts\n";

// An all-in-one manifest as `kubectl apply -f` takes it: several Deployments in one file.
const ALL_IN_ONE = [
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:v2.2.0\n",
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:v2.2.0\n        - name: redis\n          image: redis:7.2.4-alpine\n",
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: ghcr.io/acme/worker:2.2.0-slim\n",
].join("---\n");

describe("what follows the release", () => {
  const files = {
    "CHANGELOG.md": CHANGELOG,
    "package.json":
      '{\n  "name": "shop",\n  "private": true,\n  "version": "2.2.0",\n  "workspaces": ["apps/*"]\n}\n',
    "apps/web/package.json": '{\n  "name": "@acme/web",\n  "version": "2.2.0"\n}\n',
    "apps/mobile/package.json": '{\n  "name": "@acme/mobile",\n  "private": true,\n  "version": "5.3.1"\n}\n',
    "apps/docs/package.json": '{\n  "name": "@acme/docs",\n  "version": "0.0.0"\n}\n',
    "packages/sdk/package.json": '{\n  "name": "@acme/sdk",\n  "version": "0.9.4"\n}\n',
    "e2e/package.json": '{\n  "name": "e2e",\n  "version": "2.2.0"\n}\n',
    "deploy/helm/shop/Chart.yaml": 'apiVersion: v2\nname: shop\nversion: 0.10.6\nappVersion: "v2.2.0"\n',
    "deploy/all-in-one.yaml": ALL_IN_ONE,
    "android/build.gradle": 'android {\n  defaultConfig {\n    versionName "5.3.1"\n  }\n}\n',
  };
  const config = releaseSection.parse({
    projects: [
      { name: "shop", path: "." },
      { name: "web", path: "apps/web", image: "ghcr.io/acme/web", manifests: ["deploy/all-in-one.yaml"] },
      { name: "api", path: "apps/api", image: "ghcr.io/acme/api", manifests: ["deploy/all-in-one.yaml"] },
      { name: "worker", path: "apps/worker", image: "ghcr.io/acme/worker", manifests: ["deploy/*.yaml"] },
      { name: "mobile", path: "apps/mobile" },
      { name: "docs", path: "apps/docs" },
      { name: "sdk", path: "packages/sdk" },
      { name: "chart", path: "deploy/helm/shop" },
    ],
  });

  it("bumps lockstep files and every service's image in a shared manifest, each in its format", () => {
    const p = plan(files, { config });
    expect(p.version).toBe("2.3.0");
    expect(after(p, "deploy/all-in-one.yaml")).toBe(
      ALL_IN_ONE.replace("web:v2.2.0", "web:v2.3.0")
        .replace("api:v2.2.0", "api:v2.3.0")
        .replace("worker:2.2.0-slim", "worker:2.3.0-slim"),
    );
    expect(after(p, "package.json")).toContain('"version": "2.3.0"');
    expect(after(p, "apps/web/package.json")).toContain('"version": "2.3.0"');
    // appVersion keeps its v (it is the image tag); the chart's own version gets its own patch.
    expect(after(p, "deploy/helm/shop/Chart.yaml")).toBe(
      'apiVersion: v2\nname: shop\nversion: 0.10.7\nappVersion: "v2.3.0"\n',
    );
  });

  it("lists what is versioned on its own, with the reason, and edits none of it", () => {
    const p = plan(files, { config });
    const edited = p.files.map((f) => f.path);
    for (const path of [
      "apps/mobile/package.json",
      "apps/docs/package.json",
      "packages/sdk/package.json",
      "e2e/package.json",
    ])
      expect(edited).not.toContain(path);
    expect(p.skipped).toEqual(
      expect.arrayContaining([
        { path: "apps/docs/package.json", reason: "0.0.0 placeholder; versioned on its own, not edited" },
        {
          path: "apps/mobile/package.json",
          reason: 'private package ("private": true) at 5.3.1; versioned on its own, not edited',
        },
        {
          path: "packages/sdk/package.json",
          reason:
            "at 0.9.4, not the release's 2.2.0: versioned on its own, not edited (list it in versionFiles to bump it with releases)",
        },
        { path: "e2e/package.json", reason: "a test package or fixture; not part of the release" },
        {
          path: "android/build.gradle",
          reason:
            "Gradle build script is not edited by release-pilot; bump it by hand, or mark the line with `x-release-pilot-version` and list it in versionFiles",
        },
      ]),
    );
    // Independent versions never push the release: the sdk's and the app's are not sources.
    expect(p.versionSources.map((s) => s.source)).not.toContain("apps/mobile/package.json");
  });

  it("the chart's own version follows the configured rule", () => {
    const p = plan(files, { config: { ...config, chartVersion: "keep" } });
    expect(after(p, "deploy/helm/shop/Chart.yaml")).toBe(
      'apiVersion: v2\nname: shop\nversion: 0.10.6\nappVersion: "v2.3.0"\n',
    );
  });
});

describe("Dockerfile labels from a build argument", () => {
  it("bumps the ARG default, keeps ${VERSION}, and warns when there is no default", () => {
    const files = {
      "CHANGELOG.md": CHANGELOG,
      "pyproject.toml": '[project]\nname = "shop"\nversion = "2.2.0"\n',
      Dockerfile:
        "FROM python:3.12-slim\nARG VERSION=2.2.0\nLABEL org.opencontainers.image.version=${VERSION}\n",
      "worker/pyproject.toml": '[project]\nname = "worker"\nversion = "2.2.0"\n',
      "worker/Dockerfile":
        "FROM python:3.12-slim\nARG VERSION\nLABEL org.opencontainers.image.version=${VERSION}\n",
    };
    const p = plan(files);
    expect(after(p, "Dockerfile")).toBe(
      "FROM python:3.12-slim\nARG VERSION=2.3.0\nLABEL org.opencontainers.image.version=${VERSION}\n",
    );
    expect(after(p, "worker/Dockerfile")).toBeUndefined();
    expect(p.skipped).toContainEqual({
      path: "worker/Dockerfile",
      reason:
        "LABEL org.opencontainers.image.version=${VERSION} is set at build time (`--build-arg VERSION=…`); left as it is; not edited",
    });
  });
});

describe("Cargo workspace", () => {
  it("bumps [workspace.package] and says members inherit it", () => {
    const files = {
      "CHANGELOG.md": CHANGELOG,
      "Cargo.toml":
        '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[workspace.package]\nversion = "2.2.0"\nedition = "2021"\n',
      "crates/cli/Cargo.toml":
        '[package]\nname = "shop-cli"\nversion.workspace = true\nedition.workspace = true\n',
      "crates/core/Cargo.toml": '[package]\nname = "shop-core"\nversion = "2.2.0"\n',
      "crates/macros/Cargo.toml": '[package]\nname = "shop-macros"\nversion = "0.3.1"\n',
      VERSION: "2.2.0\n",
    };
    const p = plan(files);
    expect(p.files.map((f) => f.path)).toEqual([
      "Cargo.toml",
      "crates/core/Cargo.toml",
      "VERSION",
      "CHANGELOG.md",
    ]);
    expect(after(p, "Cargo.toml")).toContain('[workspace.package]\nversion = "2.3.0"\n');
    expect(after(p, "VERSION")).toBe("2.3.0\n");
    expect(p.skipped).toContainEqual({
      path: "crates/cli/Cargo.toml",
      reason:
        "inherits the workspace's version (`version.workspace = true`); the workspace root's is bumped; not edited",
    });
    expect(p.skipped.map((s) => s.path)).toContain("crates/macros/Cargo.toml");
  });
});

describe("Python packages", () => {
  const base = {
    "CHANGELOG.md": CHANGELOG,
    // Named like the project but carrying no version (a re-export shim).
    "src/shop/__init__.py": "from shop_core import *  # noqa\n",
    "src/shop_core/__init__.py": '"""Shop core."""\n__version__ = "2.2.0"\n',
    "src/shop_plugins/__init__.py": "",
  };
  it("prefers the __init__.py that carries __version__ over the one named after the project", () => {
    const p = plan({ ...base, "pyproject.toml": '[project]\nname = "shop"\ndynamic = ["version"]\n' });
    expect(after(p, "src/shop_core/__init__.py")).toBe('"""Shop core."""\n__version__ = "2.3.0"\n');
    expect(p.files.map((f) => f.path)).not.toContain("src/shop/__init__.py");
  });
  it("takes the file pyproject's dynamic version points to", () => {
    const p = plan({
      ...base,
      "src/shop_plugins/__init__.py": '__version__ = "2.2.0"\n',
      "pyproject.toml":
        '[project]\nname = "shop"\ndynamic = ["version"]\n\n[tool.setuptools.dynamic]\nversion = {attr = "shop_plugins.__version__"}\n',
    });
    expect(after(p, "src/shop_plugins/__init__.py")).toBe('__version__ = "2.3.0"\n');
    expect(after(p, "src/shop_core/__init__.py")).toBeUndefined();
  });
});
