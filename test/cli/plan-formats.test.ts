import { afterEach, describe, expect, it } from "@jest/globals";
import { main } from "../../src/cli.js";
import { createTempRepo } from "./temp-repo.js";

const repos: ReturnType<typeof createTempRepo>[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const plan = (dir: string, ...args: string[]) => {
  let stdout = "";
  let stderr = "";
  const code = main(["plan", "--dir", dir, "--json", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    today: () => "2026-12-01",
  });
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as {
    version: string;
    files: { path: string; before: string; after: string }[];
    skipped: { path: string; reason: string }[];
    warnings: string[];
    changelog: { section: string };
  };
};

// A Rust CLI released as a Cargo workspace, with a container image and a Helm chart, the way such
// repositories lay them out: crates/*, a Dockerfile labelled from a build argument, deploy/chart.
const files = {
  "CHANGELOG.md":
    "# Changelog\n\n## [Unreleased]\n\n## [0.4.1] - 2026-10-02\n\n### Fixed\n\n- Config path on Windows\n\n[Unreleased]: https://github.com/acme/tool/compare/v0.4.1...HEAD\n[0.4.1]: https://github.com/acme/tool/compare/v0.4.0...v0.4.1\n",
  "Cargo.toml":
    '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "0.4.1"\nedition = "2021"\nlicense = "MIT"\n\n[workspace.dependencies]\nserde = { version = "1.0.203", features = ["derive"] }\n',
  "crates/tool-cli/Cargo.toml":
    '[package]\nname = "tool-cli"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\nserde.workspace = true\n',
  "crates/tool-core/Cargo.toml": '[package]\nname = "tool-core"\nversion = "0.4.1"\nedition = "2021"\n',
  "crates/tool-cli/src/main.rs": "fn main() {}\n",
  Dockerfile:
    'FROM rust:1.79 AS build\nARG VERSION=v0.4.1\nLABEL org.opencontainers.image.title="tool" \\\n      org.opencontainers.image.version=${VERSION}\n',
  "deploy/chart/Chart.yaml":
    'apiVersion: v2\nname: tool\ntype: application\nversion: 1.3.0\nappVersion: "v0.4.1"\n',
  "deploy/chart/templates/deployment.yaml":
    'spec:\n  template:\n    spec:\n      containers:\n        - image: "ghcr.io/acme/tool:{{ .Chart.AppVersion }}"\n',
  "tests/fixtures/sample/Cargo.toml": '[package]\nname = "sample"\nversion = "0.1.0"\n',
};

describe("release-pilot plan keeps each file's format", () => {
  it("on a Cargo workspace with an ARG-labelled image and a Helm chart", () => {
    const repo = createTempRepo(null);
    repos.push(repo);
    repo.commit("chore: import", files);
    repo.git(["tag", "v0.4.1"]);
    repo.commit("feat(cli): --json output", { "crates/tool-cli/src/main.rs": "fn main() { json() }\n" });
    repo.commit("chore(deps): update rust crate serde to 1.0.204", {});
    repo.commit("chore(deps): update rust crate serde to 1.0.210", {});
    const p = plan(repo.dir);
    expect(p.version).toBe("0.5.0");
    const after = (path: string) => p.files.find((f) => f.path === path)?.after;
    expect(after("Cargo.toml")).toBe(files["Cargo.toml"].replace('version = "0.4.1"', 'version = "0.5.0"'));
    expect(after("crates/tool-core/Cargo.toml")).toBe(
      files["crates/tool-core/Cargo.toml"].replace("0.4.1", "0.5.0"),
    );
    expect(after("Dockerfile")).toBe(files.Dockerfile.replace("ARG VERSION=v0.4.1", "ARG VERSION=v0.5.0"));
    expect(after("deploy/chart/Chart.yaml")).toBe(
      'apiVersion: v2\nname: tool\ntype: application\nversion: 1.3.1\nappVersion: "v0.5.0"\n',
    );
    expect(p.files.map((f) => f.path)).not.toContain("deploy/chart/templates/deployment.yaml");
    expect(p.skipped).toEqual([
      {
        path: "crates/tool-cli/Cargo.toml",
        reason:
          "inherits the workspace's version (`version.workspace = true`); the workspace root's is bumped; not edited",
      },
      {
        path: "tests/fixtures/sample/Cargo.toml",
        reason: "a test package or fixture; not part of the release",
      },
    ]);
    expect(p.changelog.section).toBe(
      "### Added\n\n- **tool-cli**: --json output\n\n### Changed\n\n- Update `serde` to 1.0.210",
    );
  });
});
