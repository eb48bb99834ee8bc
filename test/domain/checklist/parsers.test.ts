import { describe, expect, it } from "@jest/globals";
import { findChangelogSection } from "../../../src/domain/checklist/changelog-section.js";
import {
  parseCoverageDescription,
  parseCoverageReport,
} from "../../../src/domain/checklist/coverage-report.js";
import { matchesGlob } from "../../../src/domain/glob.js";
import { meetsThreshold, parseMetricThreshold } from "../../../src/domain/checklist/metric-threshold.js";
import { parseMetricsFile } from "../../../src/domain/checklist/metrics-file.js";
import { parseBanditReport, parseTrivyReport } from "../../../src/domain/checklist/security-report.js";
import { parseTaskList } from "../../../src/domain/checklist/task-list.js";
import { readVersionFromFile } from "../../../src/domain/checklist/version-file.js";
import { fixture } from "./fixture.js";

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.value;
};
const error = (r: { ok: boolean; error?: string }): string => {
  expect(r.ok).toBe(false);
  return r.error ?? "";
};

describe("parseCoverageReport", () => {
  it("reads coverage.py's Cobertura XML from lines-covered / lines-valid", () => {
    const r = value(parseCoverageReport("BankChurn-Predictor/coverage.xml", fixture("coverage.xml")));
    expect(r.format).toBe("cobertura");
    expect(r.percent).toBeCloseTo((338 / 412) * 100, 5);
  });
  it("falls back to line-rate when line counts are absent", () => {
    expect(value(parseCoverageReport("c.xml", '<coverage line-rate="0.5"></coverage>')).percent).toBe(50);
  });
  it("reads coverage.py JSON totals.percent_covered", () => {
    const r = value(parseCoverageReport("coverage.json", fixture("coverage.json")));
    expect(r).toEqual({ format: "coverage-py-json", percent: 71.49643705463183 });
  });
  it("sums LH / LF over every lcov record", () => {
    const r = value(parseCoverageReport("lcov.info", fixture("lcov.info")));
    expect(r).toEqual({ format: "lcov", percent: (7 / 8) * 100 });
  });
  it("reads istanbul json-summary total.lines.pct", () => {
    expect(value(parseCoverageReport("coverage-summary.json", fixture("coverage-summary.json")))).toEqual({
      format: "istanbul-summary",
      percent: 80,
    });
  });
  it.each([
    ["truncated XML", "coverage.xml", fixture("coverage.xml").slice(0, 300), /malformed/],
    ["XML without a coverage root", "coverage.xml", "<report><x/></report>", /no <coverage> root/],
    ["XML without figures", "coverage.xml", "<coverage version='1'></coverage>", /no line-rate/],
    ["an impossible rate", "coverage.xml", '<coverage line-rate="3.2"></coverage>', /impossible/],
    ["corrupt JSON", "coverage.json", '{"totals": {', /malformed JSON/],
    ["JSON of another kind", "coverage.json", '{"files": {}}', /neither/],
    [
      "istanbul with Unknown pct",
      "coverage-summary.json",
      '{"total":{"lines":{"total":0,"covered":0,"pct":"Unknown"}}}',
      /Unknown/,
    ],
    ["lcov without lines", "lcov.info", "TN:\nSF:a.ts\nLF:0\nLH:0\nend_of_record\n", /zero instrumented/],
    ["lcov with a bad count", "lcov.info", "SF:a.ts\nLF:x\n", /bad LF/],
    ["an empty file", "coverage.xml", "   ", /empty/],
    ["an HTML page", "index.html", "Coverage report: 81%", /not a recognised/],
  ])("fails on %s with a reason", (_, path, text, reason) => {
    expect(error(parseCoverageReport(path, text))).toMatch(reason);
  });
  it("reads a percentage from a commit status description", () => {
    expect(value(parseCoverageDescription("Coverage 81.4% (+0.2%)"))).toBe(81.4);
    expect(error(parseCoverageDescription("Coverage report uploaded"))).toMatch(/no percentage/);
  });
});

describe("security reports", () => {
  it("lists every Trivy vulnerability with its severity, package and link", () => {
    const findings = value(parseTrivyReport(fixture("trivy-report.json")));
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ["CVE-2023-45853", "critical"],
      ["CVE-2024-2511", "low"],
      ["CVE-2024-34064", "medium"],
      ["CVE-2024-1135", "high"],
    ]);
    expect(findings[3]).toMatchObject({
      source: "trivy",
      title: expect.stringContaining("gunicorn@21.2.0"),
      location: "Python",
      url: "https://avd.aquasec.com/nvd/cve-2024-1135",
    });
  });
  it("lists every Bandit result with file:line and its documentation link", () => {
    const findings = value(parseBanditReport(fixture("bandit-report.json")));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toEqual({
      source: "bandit",
      id: "B602",
      severity: "high",
      title: "subprocess call with shell=True identified, security issue.",
      location: "./BankChurn-Predictor/src/bankchurn/storage.py:42",
      url: "https://bandit.readthedocs.io/en/1.7.7/plugins/b602_subprocess_popen_with_shell_equals_true.html",
    });
  });
  it("treats a Trivy report with no results as clean, and foreign or corrupt JSON as errors", () => {
    expect(value(parseTrivyReport('{"SchemaVersion": 2, "ArtifactName": "x"}'))).toEqual([]);
    expect(error(parseTrivyReport('{"results": []}'))).toMatch(/not a Trivy/);
    expect(error(parseTrivyReport("{oops"))).toMatch(/malformed JSON/);
    expect(error(parseBanditReport(fixture("trivy-report.json")))).toMatch(/not a Bandit/);
    expect(error(parseBanditReport("[]"))).toMatch(/not a JSON object/);
  });
});

describe("parseTaskList", () => {
  it("reads checked and unchecked items, ignoring code blocks", () => {
    expect(parseTaskList(fixture("release-pr-body.md"))).toEqual([
      { text: "Security scans passed", checked: true },
      { text: "Data privacy compliance (GDPR, etc.)", checked: true },
      { text: "Model fairness evaluated", checked: false },
      { text: "Documentation updated", checked: true },
      { text: "Stakeholder approval obtained", checked: true },
    ]);
  });
  it("accepts * and numbered bullets and nothing else", () => {
    expect(parseTaskList("* [x] a\n1. [ ] b\n[x] not a bullet\n- [y] bad box")).toEqual([
      { text: "a", checked: true },
      { text: "b", checked: false },
    ]);
  });
});

describe("metric thresholds", () => {
  it.each([
    [">= 0.60", 0.6, true],
    [">= 0.60", 0.59, false],
    ["> 0.85", 0.85, false],
    ["<= 120", 120, true],
    ["< 0.1", 0.05, true],
    ["==1", 1, true],
  ])("%s against %d → %s", (expr, measured, ok) => {
    expect(meetsThreshold(measured, value(parseMetricThreshold(expr)))).toBe(ok);
  });
  it("rejects expressions that are not comparisons", () => {
    expect(error(parseMetricThreshold("at least 0.6"))).toMatch(/not a threshold/);
    expect(error(parseMetricThreshold(">= abc"))).toMatch(/not a threshold/);
  });
  it("reads flat and nested metrics files, keeping numbers only", () => {
    expect(value(parseMetricsFile('{"f1": 0.62, "model": "xgb"}'))).toEqual({ f1: 0.62 });
    expect(value(parseMetricsFile('{"metrics": {"auc": 0.9}, "f1": 1}'))).toEqual({ auc: 0.9 });
    expect(error(parseMetricsFile("not json"))).toMatch(/malformed/);
  });
});

describe("findChangelogSection", () => {
  it("finds the version's entries up to the next release heading", () => {
    const s = findChangelogSection(fixture("CHANGELOG.md"), "1.2.0");
    expect(s?.heading).toBe("## [1.2.0] - 2025-01-15");
    expect(s?.entries).toEqual([
      "- New feature X in BankChurn",
      "- Dashboard improvements in CarVision",
      "- Bug fix in TelecomAI prediction endpoint",
    ]);
  });
  it("reports an empty section and an absent one differently", () => {
    expect(findChangelogSection(fixture("CHANGELOG.md"), "v1.0.1")?.entries).toEqual([]);
    expect(findChangelogSection(fixture("CHANGELOG.md"), "1.3.0")).toBeNull();
    expect(findChangelogSection(fixture("CHANGELOG.md"), "1.2")).toBeNull();
  });
});

describe("findChangelogSection on conventional-changelog output", () => {
  const log = [
    "# Changelog",
    "",
    "### [1.2.1](https://github.com/o/r/compare/v1.2.0...v1.2.1) (2025-01-20)",
    "",
    "### Bug Fixes",
    "",
    "* **telecom:** prediction endpoint ([a1b2c3d](https://github.com/o/r/commit/a1b2c3d))",
    "",
    "## [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2025-01-15)",
    "",
    "### Features",
    "",
    "* **bankchurn:** batch prediction",
    "* **carvision:** dashboard",
    "",
    "## 1.1.0 (2024-11-02)",
    "",
  ].join("\n");
  it("reads a patch section with same-level sub-headings, and a minor one up to the next release", () => {
    expect(findChangelogSection(log, "1.2.1")?.entries).toEqual([
      "* **telecom:** prediction endpoint ([a1b2c3d](https://github.com/o/r/commit/a1b2c3d))",
    ]);
    expect(findChangelogSection(log, "1.2.0")?.entries).toEqual([
      "* **bankchurn:** batch prediction",
      "* **carvision:** dashboard",
    ]);
    expect(findChangelogSection(log, "1.1.0")?.entries).toEqual([]);
    expect(findChangelogSection(log, "1.2")).toBeNull();
  });
});

describe("readVersionFromFile", () => {
  it.each([
    ["BankChurn-Predictor/pyproject.toml", '[project]\nname = "bankchurn"\nversion = "1.2.0"\n', "1.2.0"],
    ["BankChurn-Predictor/src/bankchurn/__init__.py", '"""BankChurn."""\n__version__ = "1.1.0"\n', "1.1.0"],
    [
      "BankChurn-Predictor/Dockerfile",
      'FROM python:3.11-slim\nLABEL maintainer="x" version="1.2.0"\n',
      "1.2.0",
    ],
    ["app/Dockerfile", 'LABEL org.opencontainers.image.version="v1.2.0"\n', "1.2.0"],
    ["web/package.json", '{"name":"w","version":"1.2.0"}', "1.2.0"],
    // Read as the updater that bumps it reads it: the chart version (a release sets both).
    ["chart/Chart.yaml", 'apiVersion: v2\nversion: 1.2.0\nappVersion: "1.2.0"\n', "1.2.0"],
    ["VERSION", "1.2.0\n", "1.2.0"],
  ])("%s", (path, text, version) => {
    expect(value(readVersionFromFile(path, text))).toBe(version);
  });
  it("says so when a file declares no version", () => {
    expect(error(readVersionFromFile("x/__init__.py", "import os\n"))).toMatch(
      /no version found in x\/__init__.py/,
    );
  });
});

describe("globs", () => {
  it("matches check names anywhere and case-insensitively, paths segment by segment", () => {
    expect(matchesGlob("test*", "Tests (3.11)", "name")).toBe(true);
    expect(matchesGlob("*/ test*", "CI / test (BankChurn)", "name")).toBe(true);
    expect(matchesGlob("*integration*", "unit", "name")).toBe(false);
    expect(matchesGlob("docs/*.md", "docs/a/b.md", "path")).toBe(false);
    expect(matchesGlob("docs/**/*.md", "docs/a/b.md", "path")).toBe(true);
    expect(matchesGlob("**/bandit*.json", "bandit-report.json", "path")).toBe(true);
  });
});
