import { describe, expect, it } from "@jest/globals";
import { findVersionFiles } from "../../../src/domain/manifests/find-version-files.js";
import { discoverProjects } from "../../../src/domain/manifests/project.js";
import { matchGlobs } from "../../../src/domain/glob.js";

const monorepo = [
  "CHANGELOG.md",
  "pyproject.toml",
  "docker-compose.demo.yml",
  "k8s/bankchurn-deployment.yaml",
  "BankChurn-Predictor/pyproject.toml",
  "BankChurn-Predictor/Dockerfile",
  "BankChurn-Predictor/src/bankchurn/__init__.py",
  "BankChurn-Predictor/src/bankchurn/api.py",
  "BankChurn-Predictor/tests/__init__.py",
  "BankChurn-Predictor/helm/Chart.yaml",
  "CarVision-Market-Intelligence/pyproject.toml",
  "CarVision-Market-Intelligence/carvision/__init__.py",
  "CarVision-Market-Intelligence/utils/__init__.py",
  "TelecomAI-Customer-Intelligence/pyproject.toml",
  "tools/web/ui/package.json",
  "node_modules/x/package.json",
  "charts/shared/Chart.yaml",
];

describe("discoverProjects", () => {
  it("finds the root and directories up to two levels holding a project file", () => {
    expect(discoverProjects(monorepo)).toEqual([
      { name: "root", path: "" },
      { name: "BankChurn-Predictor", path: "BankChurn-Predictor" },
      { name: "CarVision-Market-Intelligence", path: "CarVision-Market-Intelligence" },
      { name: "shared", path: "charts/shared" },
      { name: "TelecomAI-Customer-Intelligence", path: "TelecomAI-Customer-Intelligence" },
    ]);
  });
});

describe("findVersionFiles", () => {
  const projects = discoverProjects(monorepo);
  const byName = (name: string) => projects.find((p) => p.name === name)!;
  const files = (name: string, extra = {}) =>
    findVersionFiles(
      { ...byName(name), ...extra },
      monorepo,
      projects.map((p) => (p.name === name ? { ...p, ...extra } : p)),
    ).map((f) => `${f.path}:${f.updater.kind}`);

  it("src/ layout, Dockerfile and a chart inside the project; tests/ skipped", () => {
    expect(files("BankChurn-Predictor")).toEqual([
      "BankChurn-Predictor/Dockerfile:dockerfile",
      "BankChurn-Predictor/helm/Chart.yaml:helm-chart",
      "BankChurn-Predictor/pyproject.toml:pyproject",
      "BankChurn-Predictor/src/bankchurn/__init__.py:python-init",
    ]);
  });
  it("flat layout prefers the package named like the project", () => {
    expect(files("CarVision-Market-Intelligence")).toEqual([
      "CarVision-Market-Intelligence/carvision/__init__.py:python-init",
      "CarVision-Market-Intelligence/pyproject.toml:pyproject",
    ]);
  });
  it("the root project does not take files of nested projects", () => {
    expect(files("root")).toEqual(["pyproject.toml:pyproject"]);
  });
  it("configured manifests and extra files", () => {
    const project = {
      name: "bank",
      path: "BankChurn-Predictor",
      image: "ghcr.io/duqueom/bankchurn-api",
      manifests: ["k8s/*.yaml", "docker-compose.*.yml"],
      versionFiles: ["src/**/api.py"],
    };
    const found = findVersionFiles(project, monorepo).map((f) => `${f.path}:${f.updater.kind}`);
    expect(found).toContain("k8s/bankchurn-deployment.yaml:image-tag:ghcr.io/duqueom/bankchurn-api");
    expect(found).toContain("docker-compose.demo.yml:image-tag:ghcr.io/duqueom/bankchurn-api");
    expect(found).toContain("BankChurn-Predictor/src/bankchurn/api.py:marker");
  });
});

describe("globs", () => {
  it("matches *, ** and ?", () => {
    expect(
      matchGlobs(
        ["k8s/*.yaml", "**/VERSION", "a?c"],
        ["k8s/a.yaml", "k8s/x/b.yaml", "VERSION", "x/y/VERSION", "abc", "abbc"],
      ),
    ).toEqual(["k8s/a.yaml", "VERSION", "x/y/VERSION", "abc"]);
  });
});
