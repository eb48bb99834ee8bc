import { describe, expect, it } from "@jest/globals";
import { cargoTomlUpdater } from "../../../src/domain/manifests/cargo-toml-updater.js";
import { chartYamlUpdater } from "../../../src/domain/manifests/chart-yaml-updater.js";
import { dockerfileUpdater } from "../../../src/domain/manifests/dockerfile-updater.js";
import { findUpdater } from "../../../src/domain/manifests/updater-registry.js";
import { formatLike, versionOfValue } from "../../../src/domain/manifests/value-format.js";
import {
  gradlePropertiesUpdater,
  plainVersionUpdater,
  setupCfgUpdater,
} from "../../../src/domain/manifests/properties-updaters.js";
import { imageTagUpdater } from "../../../src/domain/manifests/image-tag-updater.js";

describe("a value keeps its own format", () => {
  it.each([
    ["v2.0.0", "2.1.0", "v2.1.0", "2.0.0"],
    ["0.10.6", "0.11.0", "0.11.0", "0.10.6"],
    ["1.4.0-alpine", "1.5.0", "1.5.0-alpine", "1.4.0"],
    ["v1.4.0-slim-bookworm", "1.5.0", "v1.5.0-slim-bookworm", "1.4.0"],
    ["1.2.0-rc.1", "1.2.0", "1.2.0", "1.2.0-rc.1"],
    ["1.2.0+build.7", "1.3.0", "1.3.0", "1.2.0"],
  ])("%s + %s → %s (reads %s)", (raw, version, written, read) => {
    expect(formatLike(raw, version)).toBe(written);
    expect(versionOfValue(raw)).toBe(read);
  });

  it.each(["${VERSION}", "$VERSION", "{{ .Chart.AppVersion }}", "$(VERSION)", "@project.version@", "latest"])(
    "%s is never replaced by a literal",
    (raw) => {
      expect(formatLike(raw, "1.2.0")).toBeUndefined();
      expect(versionOfValue(raw)).toBeUndefined();
    },
  );
});

// Shapes of real charts: `helm create` output (version 0.1.0, appVersion "1.16.0") and charts
// whose appVersion is the image tag with a `v` (the chart's deployment uses `{{ .Chart.AppVersion }}`).
const chart = (version: string, appVersion: string) =>
  `apiVersion: v2\nname: api\ndescription: A Helm chart for Kubernetes\n\n# This is the chart version. This version number should be incremented each time you make changes\n# to the chart and its templates, including the app version.\ntype: application\nversion: ${version}\n\n# This is the version number of the application being deployed.\nappVersion: ${appVersion}\ndependencies:\n  - name: redis\n    version: 17.11.3\n    repository: https://charts.bitnami.com/bitnami\n`;

describe("Helm Chart.yaml", () => {
  it("appVersion follows the release in its own format; the chart's own version gets a patch", () => {
    const before = chart("0.10.6", '"v2.2.0"');
    expect(chartYamlUpdater.readVersion(before)).toBe("2.2.0");
    expect(chartYamlUpdater.updateContent(before, "2.3.0")).toBe(chart("0.10.7", '"v2.3.0"'));
  });
  it.each([
    ["minor", "0.11.0"],
    ["release", "2.3.0"],
    ["keep", "0.10.6"],
  ] as const)("chartVersion %s → %s", (rule, own) => {
    expect(chartYamlUpdater.updateContent(chart("0.10.6", '"2.2.0"'), "2.3.0", { chartVersion: rule })).toBe(
      chart(own, '"2.3.0"'),
    );
  });
  it("a chart versioned with its app follows the release; a re-run changes nothing", () => {
    const after = chartYamlUpdater.updateContent(chart("2.2.0", "2.2.0"), "2.3.0");
    expect(after).toBe(chart("2.3.0", "2.3.0"));
    expect(chartYamlUpdater.updateContent(after, "2.3.0")).toBe(after);
  });
  it("dependency versions are never touched", () => {
    expect(chartYamlUpdater.updateContent(chart("1.0.0", '"1.0.0"'), "1.1.0")).toContain("version: 17.11.3");
  });
});

describe("Dockerfile", () => {
  const dockerfile = (arg: string) =>
    `# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS runtime\n${arg}\nARG PYTHON_VERSION=3.12.4\nLABEL org.opencontainers.image.source="https://github.com/acme/api" \\\n      org.opencontainers.image.version=\${VERSION}\nCOPY . /app\n`;

  it("bumps the ARG default a ${VERSION} label names; the label stays a variable", () => {
    const before = dockerfile("ARG VERSION=v1.4.0");
    expect(dockerfileUpdater.readVersion(before)).toBe("1.4.0");
    expect(dockerfileUpdater.updateContent(before, "1.5.0")).toBe(dockerfile("ARG VERSION=v1.5.0"));
    expect(dockerfileUpdater.notes!(before)).toEqual([]);
  });
  it("with no default (set by --build-arg) there is nothing to edit, and it says so", () => {
    const before = dockerfile("ARG VERSION");
    expect(dockerfileUpdater.readVersion(before)).toBeUndefined();
    expect(dockerfileUpdater.updateContent(before, "1.5.0")).toBe(before);
    expect(dockerfileUpdater.notes!(before)).toEqual([
      "LABEL org.opencontainers.image.version=${VERSION} is set at build time (`--build-arg VERSION=…`); left as it is",
    ]);
  });
});

describe("image tags", () => {
  const updater = imageTagUpdater("ghcr.io/acme/api");
  it("keep the v prefix and flavour suffix; variables are reported, not replaced", () => {
    const before =
      "containers:\n  - image: ghcr.io/acme/api:v2.0.0\n  - image: ghcr.io/acme/api:2.0.0-alpine\n  - image: ghcr.io/acme/api:${TAG}\n  - image: ghcr.io/acme/api:{{ .Chart.AppVersion }}\n";
    expect(updater.readVersion(before)).toBe("2.0.0");
    expect(updater.updateContent(before, "2.1.0")).toBe(
      "containers:\n  - image: ghcr.io/acme/api:v2.1.0\n  - image: ghcr.io/acme/api:2.1.0-alpine\n  - image: ghcr.io/acme/api:${TAG}\n  - image: ghcr.io/acme/api:{{ .Chart.AppVersion }}\n",
    );
    expect(updater.notes!(before)).toEqual([
      "ghcr.io/acme/api:${TAG} is a variable; left as it is",
      "ghcr.io/acme/api:{{ .Chart.AppVersion }} is a variable; left as it is",
    ]);
  });
});

describe("Cargo.toml", () => {
  // The layout of the Cargo book's "Workspaces" chapter: the root shares the version.
  const root =
    '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "0.4.1" # shared\nedition = "2021"\n\n[workspace.dependencies]\nserde = { version = "1.0.200", features = ["derive"] }\n';
  const member =
    '[package]\nname = "acme-cli"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\nserde.workspace = true\nclap = { version = "4.5.4" }\n';

  it("bumps [workspace.package] version only, comments kept", () => {
    expect(cargoTomlUpdater.readVersion(root)).toBe("0.4.1");
    expect(cargoTomlUpdater.updateContent(root, "0.5.0")).toBe(root.replace('"0.4.1"', '"0.5.0"'));
  });
  it("a member inheriting the version states none and says so", () => {
    expect(cargoTomlUpdater.readVersion(member)).toBeUndefined();
    expect(cargoTomlUpdater.updateContent(member, "0.5.0")).toBe(member);
    expect(cargoTomlUpdater.notes!(member)).toEqual([
      "inherits the workspace's version (`version.workspace = true`); the workspace root's is bumped",
    ]);
  });
  it("a standalone [package] keeps its dependencies' versions", () => {
    const text = '[package]\nname = "x"\nversion = "1.2.3"\n\n[dependencies]\nrand = { version = "0.8" }\n';
    expect(cargoTomlUpdater.updateContent(text, "1.3.0")).toBe(text.replace('"1.2.3"', '"1.3.0"'));
  });
});

describe("setup.cfg, gradle.properties, VERSION", () => {
  it("setup.cfg [metadata] version, and an attr: pointer left alone", () => {
    const text = "[metadata]\nname = acme\nversion = 2.4.0\n\n[options]\npython_requires = >=3.9\n";
    expect(setupCfgUpdater.readVersion(text)).toBe("2.4.0");
    expect(setupCfgUpdater.updateContent(text, "2.5.0")).toBe(text.replace("2.4.0", "2.5.0"));
    const attr = "[metadata]\nname = acme\nversion = attr: acme.__version__\n";
    expect(setupCfgUpdater.readVersion(attr)).toBeUndefined();
    expect(setupCfgUpdater.updateContent(attr, "2.5.0")).toBe(attr);
    expect(setupCfgUpdater.notes!(attr)).toEqual([
      "[metadata] version = attr: acme.__version__ is read from elsewhere; left as it is",
    ]);
  });
  it("gradle.properties version=, other keys and comments kept", () => {
    const text =
      "# Project\ngroup=com.acme\nversion=3.1.0\norg.gradle.jvmargs=-Xmx2g\nkotlin.version=1.9.24\n";
    expect(gradlePropertiesUpdater.readVersion(text)).toBe("3.1.0");
    expect(gradlePropertiesUpdater.updateContent(text, "3.2.0")).toBe(
      text.replace("version=3.1.0", "version=3.2.0"),
    );
  });
  it("VERSION keeps its v and trailing newline; CRLF too", () => {
    expect(plainVersionUpdater.updateContent("v1.0.0\n", "1.1.0")).toBe("v1.1.0\n");
    expect(plainVersionUpdater.updateContent("1.0.0\r\n", "1.1.0")).toBe("1.1.0\r\n");
    expect(plainVersionUpdater.readVersion("not a version\n")).toBeUndefined();
  });
  it.each([
    ["Cargo.toml", "cargo"],
    ["crates/cli/Cargo.toml", "cargo"],
    ["setup.cfg", "setup-cfg"],
    ["gradle.properties", "gradle-properties"],
    ["VERSION", "version-txt"],
    ["version.txt", "version-txt"],
  ])("%s → %s", (path, kind) => {
    expect(findUpdater(path).kind).toBe(kind);
  });
});
