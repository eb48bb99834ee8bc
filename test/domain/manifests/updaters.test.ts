import { describe, expect, it } from "@jest/globals";
import { chartYamlUpdater } from "../../../src/domain/manifests/chart-yaml-updater.js";
import { dockerfileUpdater } from "../../../src/domain/manifests/dockerfile-updater.js";
import { imageTagUpdater } from "../../../src/domain/manifests/image-tag-updater.js";
import { markerUpdater } from "../../../src/domain/manifests/marker-updater.js";
import { packageJsonUpdater } from "../../../src/domain/manifests/package-json-updater.js";
import { pyprojectUpdater } from "../../../src/domain/manifests/pyproject-updater.js";
import { pythonInitUpdater } from "../../../src/domain/manifests/python-init-updater.js";
import { findUpdater } from "../../../src/domain/manifests/updater-registry.js";
import { type VersionFileUpdater } from "../../../src/domain/manifests/version-file-updater.js";

interface Case {
  name: string;
  updater: VersionFileUpdater;
  before: string;
  read: string | undefined;
  after: string;
}

const cases: Case[] = [
  {
    name: "pyproject [project] with comments",
    updater: pyprojectUpdater,
    before:
      '# BankChurn\n[project]\nname = "bankchurn"\nversion = "1.0.0"  # bumped by release-pilot\n\n[tool.ruff]\nversion = "0.4.0"\n',
    read: "1.0.0",
    after:
      '# BankChurn\n[project]\nname = "bankchurn"\nversion = "1.2.0"  # bumped by release-pilot\n\n[tool.ruff]\nversion = "0.4.0"\n',
  },
  {
    name: "pyproject [tool.poetry] single quotes, CRLF",
    updater: pyprojectUpdater,
    before:
      "[tool.poetry]\r\nname = 'carvision'\r\nversion   =   '0.9.1'\r\n[tool.poetry.dependencies]\r\nversion = '3'\r\n",
    read: "0.9.1",
    after:
      "[tool.poetry]\r\nname = 'carvision'\r\nversion   =   '1.2.0'\r\n[tool.poetry.dependencies]\r\nversion = '3'\r\n",
  },
  {
    name: "pyproject with both tables",
    updater: pyprojectUpdater,
    before: '[project]\nversion = "1.0.0"\n[ tool . poetry ]\nversion = "1.0.0"\n',
    read: "1.0.0",
    after: '[project]\nversion = "1.2.0"\n[ tool . poetry ]\nversion = "1.2.0"\n',
  },
  {
    name: "pyproject with a dynamic version carries none",
    updater: pyprojectUpdater,
    before:
      '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools.dynamic]\nversion = {attr = "x.__version__"}\n',
    read: undefined,
    after:
      '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools.dynamic]\nversion = {attr = "x.__version__"}\n',
  },
  {
    name: "__init__.py",
    updater: pythonInitUpdater,
    before: '"""BankChurn."""\n\n__version__ = "1.1.0"  # keep in sync\n__all__ = ["x"]\n',
    read: "1.1.0",
    after: '"""BankChurn."""\n\n__version__ = "1.2.0"  # keep in sync\n__all__ = ["x"]\n',
  },
  {
    name: "__init__.py typed, single quotes",
    updater: pythonInitUpdater,
    before: "__version__: str = '1.1.0'\n",
    read: "1.1.0",
    after: "__version__: str = '1.2.0'\n",
  },
  {
    name: "__init__.py without version",
    updater: pythonInitUpdater,
    before: "from .api import app\n",
    read: undefined,
    after: "from .api import app\n",
  },
  {
    name: "Dockerfile LABEL lines and continuation",
    updater: dockerfileUpdater,
    before:
      'FROM python:3.11-slim\n# LABEL version="0.0.1" is an old comment\nLABEL maintainer="team" \\\n      version="1.1.0" \\\n      org.opencontainers.image.version=1.1.0\nENV APP_VERSION=9.9.9\nRUN pip install x==1.1.0\n',
    read: "1.1.0",
    after:
      'FROM python:3.11-slim\n# LABEL version="0.0.1" is an old comment\nLABEL maintainer="team" \\\n      version="1.2.0" \\\n      org.opencontainers.image.version=1.2.0\nENV APP_VERSION=9.9.9\nRUN pip install x==1.1.0\n',
  },
  {
    name: "Dockerfile without LABEL",
    updater: dockerfileUpdater,
    before: 'FROM python:3.11\nCMD ["uvicorn"]\n',
    read: undefined,
    after: 'FROM python:3.11\nCMD ["uvicorn"]\n',
  },
  {
    name: "package.json keeps 4-space indent and nested versions",
    updater: packageJsonUpdater,
    before:
      '{\n    "name": "ui",\n    "engines": { "version": "x" },\n    "version": "1.1.0",\n    "dependencies": {}\n}\n',
    read: "1.1.0",
    after:
      '{\n    "name": "ui",\n    "engines": { "version": "x" },\n    "version": "1.2.0",\n    "dependencies": {}\n}\n',
  },
  {
    name: "package.json without version",
    updater: packageJsonUpdater,
    before: '{\n  "private": true,\n  "config": { "version": "1.0.0" }\n}\n',
    read: undefined,
    after: '{\n  "private": true,\n  "config": { "version": "1.0.0" }\n}\n',
  },
  {
    name: "Chart.yaml version and appVersion, comments kept",
    updater: chartYamlUpdater,
    before:
      'apiVersion: v2\nname: bankchurn\n# chart version\nversion: 1.1.0 # bump me\nappVersion: "1.1.0"\ndependencies:\n  - name: redis\n    version: 17.0.0\n',
    read: "1.1.0",
    after:
      'apiVersion: v2\nname: bankchurn\n# chart version\nversion: 1.2.0 # bump me\nappVersion: "1.2.0"\ndependencies:\n  - name: redis\n    version: 17.0.0\n',
  },
  {
    name: "marker comment in any file",
    updater: markerUpdater,
    before:
      'API_VERSION = "1.1.0"  # x-release-pilot-version\nOTHER = "1.1.0"\n// v1.1.0 // x-release-pilot-version\n',
    read: "1.1.0",
    after:
      'API_VERSION = "1.2.0"  # x-release-pilot-version\nOTHER = "1.1.0"\n// v1.2.0 // x-release-pilot-version\n',
  },
  {
    name: "marker absent",
    updater: markerUpdater,
    before: 'API_VERSION = "1.1.0"\n',
    read: undefined,
    after: 'API_VERSION = "1.1.0"\n',
  },
  {
    name: "k8s manifest image tag, other images untouched",
    updater: imageTagUpdater("ghcr.io/duqueom/bankchurn-api"),
    before:
      "spec:\n  containers:\n    - name: api # main\n      image: ghcr.io/duqueom/bankchurn-api:1.1.0\n    - name: side\n      image: ghcr.io/duqueom/bankchurn-api-sidecar:1.1.0\n    - image: 'ghcr.io/duqueom/bankchurn-api:latest'\n",
    read: "1.1.0",
    after:
      "spec:\n  containers:\n    - name: api # main\n      image: ghcr.io/duqueom/bankchurn-api:1.2.0\n    - name: side\n      image: ghcr.io/duqueom/bankchurn-api-sidecar:1.1.0\n    - image: 'ghcr.io/duqueom/bankchurn-api:1.2.0'\n",
  },
  {
    name: "docker-compose without the image",
    updater: imageTagUpdater("ghcr.io/duqueom/telecom-api"),
    before: "services:\n  bank:\n    image: ghcr.io/duqueom/bankchurn-api:1.1.0\n",
    read: undefined,
    after: "services:\n  bank:\n    image: ghcr.io/duqueom/bankchurn-api:1.1.0\n",
  },
];

describe("version file updaters", () => {
  it.each(cases)("$name", ({ updater, before, read, after }) => {
    expect(updater.readVersion(before)).toBe(read);
    expect(updater.updateContent(before, "1.2.0")).toBe(after);
    // Idempotent: updating again to the same version changes nothing more.
    expect(updater.updateContent(after, "1.2.0")).toBe(after);
  });
});

describe("registry", () => {
  it.each([
    ["BankChurn-Predictor/pyproject.toml", "pyproject"],
    ["BankChurn-Predictor/src/bankchurn/__init__.py", "python-init"],
    ["BankChurn-Predictor/Dockerfile", "dockerfile"],
    ["web/package.json", "package-json"],
    ["charts/api/Chart.yaml", "helm-chart"],
    ["VERSION.txt", "marker"],
  ])("%s → %s", (path, kind) => {
    expect(findUpdater(path).kind).toBe(kind);
  });
});
