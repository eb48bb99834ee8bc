import type { Result } from "../../../src/domain/result.js";
import { describe, expect, it } from "@jest/globals";
import {
  checklistSection,
  type ChecklistConfigInput,
} from "../../../src/config/sections/checklist-section.js";
import { evaluateGate } from "../../../src/domain/checklist/gate-registry.js";
import type { CommitCheck, GateId, GateInputs, GateResult } from "../../../src/domain/checklist/types.js";
import { fixture } from "./fixture.js";

const config = (input: ChecklistConfigInput = {}) => checklistSection.parse(input);
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const run = <K extends GateId>(id: K, input: GateInputs[K], cfg: ChecklistConfigInput = {}): GateResult =>
  evaluateGate(id, ok(input), config(cfg));
const check = (
  name: string,
  state: CommitCheck["state"],
  source: CommitCheck["source"] = "check-run",
): CommitCheck => ({
  name,
  state,
  source,
  url: `https://github.com/o/r/runs/${name.length}`,
});

describe("tests gate", () => {
  const cfg = { tests: { checks: ["test*", "lint"] } };
  it("passes when every matching check run and status is green", () => {
    const r = run(
      "tests",
      {
        checks: [
          check("test (3.11)", "success"),
          check("test (3.12)", "skipped"),
          check("lint", "success", "status"),
          check("build", "failure"),
        ],
      },
      cfg,
    );
    expect(r).toMatchObject({
      status: "pass",
      conclusion: "success",
      title: "All 3 test checks passed",
      name: "Checklist: Tests",
    });
    expect(r.summary).toContain(
      "| ✅ | [`lint` (status)](https://github.com/o/r/runs/4) | success | success |",
    );
    expect(r.summary).not.toContain("build");
  });
  it("stays in progress while a required check is pending", () => {
    const r = run("tests", { checks: [check("test (3.11)", "pending"), check("lint", "success")] }, cfg);
    expect(r).toMatchObject({
      status: "pending",
      conclusion: null,
      title: "1 of 2 test checks still running",
    });
  });
  it("fails on a red check even while others still run, and says what to do", () => {
    const r = run("tests", { checks: [check("test (3.11)", "pending"), check("lint", "failure")] }, cfg);
    expect(r).toMatchObject({ status: "fail", conclusion: "failure", title: "1 of 2 test checks failed" });
    expect(r.summary).toContain("**What to do**");
  });
  it("fails as missing when no check matches a pattern (never passes by default)", () => {
    const r = run("tests", { checks: [check("lint", "success")] }, cfg);
    expect(r).toMatchObject({
      status: "missing",
      conclusion: "failure",
      title: "No test check matches 'test*'",
    });
  });
  it("is neutral, not failing, when advisory", () => {
    const r = run(
      "tests",
      { checks: [check("lint", "failure")] },
      { tests: { checks: ["lint"], required: false } },
    );
    expect(r).toMatchObject({ status: "fail", conclusion: "neutral", required: false });
    expect(r.summary).toContain("Advisory gate");
  });
  it("integration gate uses its own check names", () => {
    const r = run("integration", {
      checks: [check("Integration tests (demo)", "success"), check("test", "failure")],
    });
    expect(r).toMatchObject({ status: "pass", name: "Checklist: Integration tests" });
  });
});

describe("coverage gate", () => {
  const projects = (...e: GateInputs["coverage"]["projects"]): GateInputs["coverage"] => ({ projects: e });
  it("shows each project's figure against its own threshold", () => {
    const r = run(
      "coverage",
      projects(
        {
          project: "BankChurn-Predictor",
          evidence: {
            kind: "report",
            path: "BankChurn-Predictor/coverage.xml",
            text: fixture("coverage.xml"),
            link: "https://x/a",
          },
        },
        {
          project: "CarVision-Market-Intelligence",
          evidence: { kind: "report", path: "coverage.json", text: fixture("coverage.json") },
        },
        {
          project: "TelecomAI-Customer-Intelligence",
          evidence: { kind: "status", context: "coverage/TelecomAI", description: "82% covered" },
        },
      ),
      { coverage: { projects: { "CarVision-Market-Intelligence": { threshold: 70 } } } },
    );
    expect(r.status).toBe("pass");
    expect(r.rows.map((x) => [x.item, x.threshold, x.state])).toEqual([
      ["BankChurn-Predictor", "≥ 75.0%", "pass"],
      ["CarVision-Market-Intelligence", "≥ 70.0%", "pass"],
      ["TelecomAI-Customer-Intelligence", "≥ 75.0%", "pass"],
    ]);
    expect(r.rows[0]!.measured).toBe("82.0% — BankChurn-Predictor/coverage.xml (cobertura)");
  });
  it("fails a project below the default 75%", () => {
    const r = run(
      "coverage",
      projects({
        project: "CarVision",
        evidence: { kind: "report", path: "coverage.json", text: fixture("coverage.json") },
      }),
    );
    expect(r).toMatchObject({
      status: "fail",
      conclusion: "failure",
      title: "Coverage below threshold: CarVision",
    });
    expect(r.rows[0]!.measured).toMatch(/^71\.5%/);
  });
  it("fails as missing when a project has no report", () => {
    const r = run(
      "coverage",
      projects({ project: "BankChurn", evidence: { kind: "none", looked: "artifact coverage*" } }),
    );
    expect(r).toMatchObject({
      status: "missing",
      conclusion: "failure",
      title: "No usable coverage figure for BankChurn",
    });
    expect(r.rows[0]!.measured).toContain("no report found");
  });
  it("fails with the parser's reason on a corrupt report", () => {
    const r = run(
      "coverage",
      projects({
        project: "BankChurn",
        evidence: { kind: "report", path: "coverage.xml", text: "<coverage line-rate=" },
      }),
    );
    expect(r.status).toBe("error");
    expect(r.conclusion).toBe("failure");
    expect(r.rows[0]!.measured).toMatch(/malformed/);
  });
  it("fails as missing with no projects at all", () => {
    expect(run("coverage", projects()).status).toBe("missing");
  });
});

describe("security gate", () => {
  const alert = {
    source: "code-scanning" as const,
    id: "py/sql-injection",
    severity: "high" as const,
    title: "SQL injection",
    url: "https://github.com/o/r/security/code-scanning/7",
  };
  it("passes with no blocking findings from every source", () => {
    const r = run("security", {
      sources: [
        {
          source: "code-scanning",
          evidence: { kind: "findings", findings: [{ ...alert, severity: "medium" }] },
        },
        { source: "dependabot", evidence: { kind: "findings", findings: [] } },
      ],
    });
    expect(r).toMatchObject({ status: "pass", title: "No open critical/high findings" });
  });
  it("lists each blocking finding with its link, from alerts and reports", () => {
    const r = run("security", {
      sources: [
        { source: "code-scanning", evidence: { kind: "findings", findings: [alert] } },
        {
          source: "trivy",
          evidence: {
            kind: "reports",
            reports: [{ path: "trivy-report.json", text: fixture("trivy-report.json") }],
          },
        },
        {
          source: "bandit",
          evidence: {
            kind: "reports",
            reports: [{ path: "bandit-report.json", text: fixture("bandit-report.json") }],
          },
        },
      ],
    });
    expect(r).toMatchObject({ status: "fail", title: "4 open critical/high security findings" });
    expect(r.summary).toContain(
      "[code-scanning: `py/sql-injection`](https://github.com/o/r/security/code-scanning/7)",
    );
    expect(r.summary).toContain("[trivy: `CVE-2023-45853`](https://avd.aquasec.com/nvd/cve-2023-45853)");
    expect(r.summary).toContain("bandit: `B602`");
    expect(r.summary).not.toContain("CVE-2024-34064");
  });
  it("honours configured severities", () => {
    const r = run(
      "security",
      {
        sources: [
          {
            source: "trivy",
            evidence: { kind: "reports", reports: [{ path: "t.json", text: fixture("trivy-report.json") }] },
          },
        ],
      },
      { security: { severities: ["critical"] } },
    );
    expect(r.title).toBe("1 open critical security findings");
  });
  it("fails when a source cannot be read, even if the others are clean", () => {
    const r = run("security", {
      sources: [
        { source: "dependabot", evidence: { kind: "findings", findings: [] } },
        {
          source: "code-scanning",
          evidence: { kind: "error", message: "code scanning is not enabled (403)" },
        },
        { source: "bandit", evidence: { kind: "missing", reason: "no artifact matches security*" } },
      ],
    });
    expect(r).toMatchObject({
      status: "error",
      conclusion: "failure",
      title: "Could not read code-scanning, bandit",
    });
  });
  it("fails on a corrupt report", () => {
    const r = run("security", {
      sources: [
        { source: "bandit", evidence: { kind: "reports", reports: [{ path: "b.json", text: "{" }] } },
      ],
    });
    expect(r.status).toBe("error");
    expect(r.rows[0]!.measured).toMatch(/^b\.json: Bandit report is malformed JSON/);
  });
});

describe("docs gate", () => {
  const base = {
    version: "1.2.0",
    changelog: fixture("CHANGELOG.md"),
    lastTag: "v1.1.0",
    changedFiles: ["README.md", "src/a.py"],
  };
  it("passes with a filled changelog section and updated README", () => {
    const r = run("docs", base);
    expect(r).toMatchObject({ status: "pass", title: "Changelog and docs updated for 1.2.0" });
    expect(r.rows.map((x) => x.measured)).toEqual(["3 entries", "changed since v1.1.0"]);
  });
  it("fails on an empty or absent section and an unchanged README", () => {
    expect(run("docs", { ...base, version: "1.0.1" }).rows[0]).toMatchObject({
      state: "fail",
      measured: "0 entries",
    });
    const r = run("docs", { ...base, version: "1.3.0", changedFiles: ["src/a.py"] });
    expect(r).toMatchObject({ status: "fail", title: "Docs not ready: CHANGELOG.md, README.md" });
  });
  it("fails as missing without a changelog; the first release has nothing to compare", () => {
    const r = run("docs", { ...base, changelog: null, lastTag: null, changedFiles: [] });
    expect(r.status).toBe("missing");
    expect(r.rows[1]).toMatchObject({ state: "pass", measured: "first release: nothing to compare" });
  });
  it("matches configured doc globs", () => {
    const r = run(
      "docs",
      { ...base, changedFiles: ["docs/api/index.md"] },
      { docs: { files: ["docs/**/*.md"] } },
    );
    expect(r.status).toBe("pass");
  });
});

describe("versions gate", () => {
  const file = (path: string, text: string | null) => ({ project: "BankChurn-Predictor", path, text });
  it("passes when every file says the version", () => {
    const r = run("versions", {
      version: "v1.2.0",
      files: [file("pyproject.toml", 'version = "1.2.0"'), file("Dockerfile", 'LABEL version="1.2.0"')],
    });
    expect(r).toMatchObject({ status: "pass", title: "All 2 version files say 1.2.0" });
  });
  it("names the files that lag behind", () => {
    const r = run("versions", {
      version: "1.2.0",
      files: [file("pyproject.toml", 'version = "1.2.0"'), file("src/__init__.py", '__version__ = "1.1.0"')],
    });
    expect(r).toMatchObject({ status: "fail", title: "1 version files do not say 1.2.0" });
    expect(r.summary).toContain("Set the version to 1.2.0 in: BankChurn-Predictor: src/__init__.py.");
  });
  it("fails as missing for an absent file or no files", () => {
    expect(run("versions", { version: "1.2.0", files: [file("pyproject.toml", null)] }).status).toBe(
      "missing",
    );
    expect(run("versions", { version: "1.2.0", files: [] }).status).toBe("missing");
  });
});

describe("models gate", () => {
  const spec = {
    source: "mlflow" as const,
    name: "BankChurn-XGBoost",
    stage: "Production",
    metrics: { f1: ">= 0.60", auc: ">= 0.85" },
  };
  it("compares each metric of the shipped version with its threshold", () => {
    const r = run("models", {
      models: [
        {
          project: "BankChurn",
          spec,
          evidence: {
            kind: "metrics",
            label: "BankChurn-XGBoost v3",
            metrics: { f1: 0.64, auc: 0.83 },
            link: "http://mlflow/#/models/BankChurn-XGBoost/versions/3",
          },
        },
      ],
    });
    expect(r).toMatchObject({ status: "fail", title: "Model metrics not met: BankChurn: auc" });
    expect(r.rows.map((x) => [x.item, x.measured, x.threshold, x.state])).toEqual([
      ["BankChurn: f1", "0.64 — BankChurn-XGBoost v3", "≥ 0.6", "pass"],
      ["BankChurn: auc", "0.83 — BankChurn-XGBoost v3", "≥ 0.85", "fail"],
    ]);
  });
  it("reads a metrics file from the repo", () => {
    const r = run("models", {
      models: [
        {
          project: "Telecom",
          spec: { metrics: { f1: "> 0.5" } },
          evidence: { kind: "file", path: "m.json", text: '{"metrics":{"f1":0.7}}' },
        },
      ],
    });
    expect(r.status).toBe("pass");
  });
  it("fails clearly when MLflow is unreachable, a metric was not logged, or nothing is configured", () => {
    const unreachable = run("models", {
      models: [
        {
          project: "BankChurn",
          spec,
          evidence: { kind: "error", message: "MLflow unreachable at http://127.0.0.1:1" },
        },
      ],
    });
    expect(unreachable).toMatchObject({ status: "error", conclusion: "failure" });
    expect(unreachable.rows[0]!.measured).toContain("MLflow unreachable");
    const unlogged = run("models", {
      models: [{ project: "B", spec, evidence: { kind: "metrics", label: "v1", metrics: { f1: 0.9 } } }],
    });
    expect(unlogged.status).toBe("missing");
    expect(run("models", { models: [] }).title).toBe("No models configured");
  });
});

describe("approvals gate", () => {
  const review = (user: string, state: string, at: string) => ({
    user,
    state,
    submittedAt: at,
    url: `https://github.com/o/r/pull/1#review-${user}`,
  });
  const managers = { managers: ["alice", "acme/release-managers"], count: 2 };
  it("counts the latest approving review of each release manager", () => {
    const r = run(
      "approvals",
      {
        reviews: [
          review("alice", "CHANGES_REQUESTED", "2025-01-01"),
          review("alice", "APPROVED", "2025-01-02"),
          review("alice", "COMMENTED", "2025-01-03"),
          review("bob", "APPROVED", "2025-01-02"),
          review("eve", "APPROVED", "2025-01-02"),
        ],
        managers: { alice: true, bob: true, eve: false },
      },
      { approvals: managers },
    );
    expect(r).toMatchObject({
      status: "pass",
      title: "2 of 2 approvals from release managers (alice, acme/release-managers)",
    });
    expect(r.summary).toContain("@eve (not a release manager)");
  });
  it("fails while approvals are short, and when a manager requests changes", () => {
    const short = run(
      "approvals",
      { reviews: [review("eve", "APPROVED", "1")], managers: { eve: false } },
      { approvals: managers },
    );
    expect(short).toMatchObject({
      status: "fail",
      title: "0 of 2 approvals from release managers (alice, acme/release-managers)",
    });
    const blocked = run(
      "approvals",
      { reviews: [review("alice", "CHANGES_REQUESTED", "1")], managers: { alice: true } },
      { approvals: { count: 0, managers: ["alice"] } },
    );
    expect(blocked.status).toBe("fail");
  });
  it("counts any reviewer when no managers are configured", () => {
    expect(run("approvals", { reviews: [review("eve", "APPROVED", "1")], managers: {} }).status).toBe("pass");
  });
});

describe("compliance gate", () => {
  it("fails while an item is unchecked, naming it", () => {
    const r = run("compliance", { body: fixture("release-pr-body.md") });
    expect(r).toMatchObject({ status: "fail", title: "1 of 5 compliance items open" });
    expect(r.summary).toContain("Complete and tick: `Model fairness evaluated`.");
  });
  it("checks configured items only, and reports absent ones", () => {
    const r = run(
      "compliance",
      { body: fixture("release-pr-body.md") },
      { compliance: { items: ["data privacy", "stakeholder approval", "load test"] } },
    );
    expect(r.rows.map((x) => x.state)).toEqual(["pass", "pass", "missing"]);
    expect(r.status).toBe("missing");
  });
  it("passes when all are checked; a body without a checklist is missing", () => {
    expect(run("compliance", { body: "- [x] a\n- [x] b" }).status).toBe("pass");
    expect(run("compliance", { body: null })).toMatchObject({
      status: "missing",
      title: "The PR body has no compliance checklist",
    });
  });
});

describe("evaluateGate", () => {
  it("turns an unreadable input into a failed gate with the reason", () => {
    const r = evaluateGate("security", { ok: false, error: "GitHub API 502" }, config());
    expect(r).toMatchObject({
      status: "error",
      conclusion: "failure",
      title: "Could not read the security inputs",
    });
    expect(r.summary).toContain("GitHub API 502");
  });
  it("never throws, even on malformed input objects", () => {
    const r = evaluateGate("tests", ok({ checks: null } as unknown as GateInputs["tests"]), config());
    expect(r.status).toBe("error");
  });
});
