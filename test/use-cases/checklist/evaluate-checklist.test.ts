import { describe, expect, it } from "@jest/globals";
import {
  checklistSection,
  type ChecklistConfigInput,
} from "../../../src/config/sections/checklist-section.js";
import { evaluateChecklist, type EvaluateChecklistInput } from "../../../src/use-cases/evaluate-checklist.js";
import {
  fakeCheckRuns,
  fakeModels,
  fakeSource,
  fixture,
  healthyRepo,
  PROJECTS,
  type FakeRepo,
} from "./fakes.js";

const configInput: ChecklistConfigInput = {
  tests: { checks: ["test (*"] },
  integration: { checks: ["*integration*"] },
  security: { sources: ["code-scanning", "dependabot", "bandit"] },
  models: {
    projects: {
      "BankChurn-Predictor": {
        name: "BankChurn-XGBoost",
        stage: "Production",
        metrics: { f1: ">= 0.60", auc: ">= 0.85" },
      },
      "TelecomAI-Customer-Intelligence": {
        source: "file",
        path: "TelecomAI-Customer-Intelligence/metrics.json",
        metrics: { f1: ">= 0.60" },
      },
    },
  },
  approvals: { count: 1, managers: ["acme/release-managers"] },
};

const input = (
  over: Partial<EvaluateChecklistInput> = {},
  cfg: ChecklistConfigInput = configInput,
): EvaluateChecklistInput => ({
  pr: {
    number: 7,
    headSha: "abc123",
    headRef: "release/v1.2.0",
    baseRef: "main",
    body: fixture("release-pr-body.md").replace("- [ ]", "- [x]"),
  },
  version: "v1.2.0",
  config: checklistSection.parse(cfg),
  projects: PROJECTS.map((name) => ({ name, path: name, versionFiles: [`${name}/pyproject.toml`] })),
  ...over,
});

const setup = (repo: FakeRepo = healthyRepo()) => {
  const src = fakeSource(repo);
  const runs = fakeCheckRuns();
  const models = fakeModels({
    "BankChurn-XGBoost": {
      name: "BankChurn-XGBoost",
      version: "3",
      runId: "r3",
      metrics: { f1: 0.66, auc: 0.9 },
      url: "http://mlflow/#/models/BankChurn-XGBoost/versions/3",
    },
  });
  const deps = { source: src.source, ...src.ports, checkRuns: runs.writer, models: models.registry };
  return { repo, src, runs, models, deps };
};

const byGate = (gates: { gate: string; status: string }[]) =>
  Object.fromEntries(gates.map((g) => [g.gate, g.status]));

describe("evaluateChecklist", () => {
  it("passes every gate of a ready release and publishes ten check runs, readiness last", async () => {
    const { deps, runs, models } = setup();
    const r = await evaluateChecklist(deps, input());
    expect(byGate(r.gates)).toEqual({
      tests: "pass",
      coverage: "pass",
      security: "pass",
      docs: "pass",
      versions: "pass",
      models: "pass",
      integration: "pass",
      approvals: "pass",
      compliance: "pass",
    });
    expect(r.readiness).toMatchObject({ status: "pass", conclusion: "success", title: "Ready to release" });
    expect(r.writes).toBe(10);
    expect(runs.log.at(-1)).toBe("create Release readiness");
    expect(runs.runs.at(-1)!.run.output.summary).toContain(
      "[Checklist: Coverage](https://github.com/o/r/runs/1001)",
    );
    expect(models.asked).toEqual([
      { name: "BankChurn-XGBoost", stage: "Production", version: undefined, alias: undefined },
    ]);
    const coverage = r.gates.find((g) => g.gate === "coverage")!;
    expect(coverage.rows.map((x) => x.measured)).toEqual([
      "82.0% — coverage-reports/BankChurn-Predictor/coverage.xml (cobertura)",
      "87.5% — coverage-reports/CarVision-Market-Intelligence/lcov.info (lcov)",
      "88.5% — status coverage/TelecomAI-Customer-Intelligence",
    ]);
  });

  it("writes nothing when re-evaluated with unchanged results, and only what changed otherwise", async () => {
    const { deps, runs, repo, src } = setup();
    await evaluateChecklist(deps, input());
    const again = await evaluateChecklist(deps, input());
    expect(again.writes).toBe(0);
    expect(src.calls["readArtifact"]).toBe(4); // each artifact downloaded once per evaluation
    repo.files["CarVision-Market-Intelligence/pyproject.toml"] = 'version = "1.1.0"';
    runs.log.length = 0;
    const changed = await evaluateChecklist(deps, input());
    expect(changed.writes).toBe(2);
    expect(runs.log).toEqual(["update Checklist: Version consistency", "update Release readiness"]);
    expect(changed.readiness).toMatchObject({ status: "fail", title: "Not ready: Version consistency" });
  });

  it("fails only the gate whose source throws; the others still report", async () => {
    const { deps, src } = setup();
    src.ports.pulls.listReviews = () => Promise.reject(new Error("GitHub API 502 on pulls.listReviews"));
    const r = await evaluateChecklist(deps, input());
    expect(byGate(r.gates)).toMatchObject({
      approvals: "error",
      tests: "pass",
      coverage: "pass",
      models: "pass",
    });
    expect(r.gates.find((g) => g.gate === "approvals")!.summary).toContain("GitHub API 502");
    expect(r.readiness.title).toBe("Not ready: Approvals");
    expect(r.writes).toBe(10);
  });

  it("fails one project's coverage on a corrupt report or a 404 artifact, keeping the rest", async () => {
    const repo = healthyRepo();
    repo.artifacts[0]!.files = { "BankChurn-Predictor/coverage.xml": "<coverage line-rate='0.9'><packages>" };
    repo.artifacts.push({
      id: 3,
      name: "coverage-CarVision-Market-Intelligence",
      runId: 102,
      expired: false,
      files: "404",
    });
    const { deps } = setup(repo);
    const r = await evaluateChecklist(deps, input());
    const coverage = r.gates.find((g) => g.gate === "coverage")!;
    expect(coverage.rows.map((x) => [x.item, x.state])).toEqual([
      ["BankChurn-Predictor", "error"],
      ["CarVision-Market-Intelligence", "error"],
      ["TelecomAI-Customer-Intelligence", "pass"],
    ]);
    expect(coverage.rows[0]!.measured).toMatch(/malformed/);
    expect(coverage.rows[1]!.measured).toMatch(/404/);
    expect(byGate(r.gates)).toMatchObject({ security: "pass", docs: "pass" });
  });

  it("reads per-project artifacts holding a report at their root, each for its own project", async () => {
    const repo = healthyRepo();
    repo.artifacts = [
      {
        id: 7,
        name: "coverage-CarVision-Market-Intelligence",
        runId: 1,
        expired: false,
        files: { "coverage.json": fixture("coverage.json") },
      },
      {
        id: 8,
        name: "coverage-BankChurn-Predictor",
        runId: 1,
        expired: false,
        files: { "coverage.xml": fixture("coverage.xml") },
      },
      {
        id: 9,
        name: "coverage-old",
        runId: 1,
        expired: true,
        files: { "BankChurn-Predictor/coverage.xml": "<corrupt" },
      },
    ];
    const { deps } = setup(repo);
    const coverage = (await evaluateChecklist(deps, input())).gates.find((g) => g.gate === "coverage")!;
    expect(coverage.rows.map((x) => [x.item, x.measured])).toEqual([
      ["BankChurn-Predictor", "82.0% — coverage-BankChurn-Predictor/coverage.xml (cobertura)"],
      [
        "CarVision-Market-Intelligence",
        "71.5% — coverage-CarVision-Market-Intelligence/coverage.json (coverage-py-json)",
      ],
      ["TelecomAI-Customer-Intelligence", "88.5% — status coverage/TelecomAI-Customer-Intelligence"],
    ]);
    expect(coverage.status).toBe("fail");
  });

  it("fails coverage as missing when no report or status exists (never passes by default)", async () => {
    const repo = healthyRepo();
    repo.artifacts = [];
    repo.checks = repo.checks.filter((c) => c.source !== "status");
    const { deps } = setup(repo);
    const r = await evaluateChecklist(deps, input());
    const coverage = r.gates.find((g) => g.gate === "coverage")!;
    expect(coverage).toMatchObject({ status: "missing", conclusion: "failure" });
    expect(coverage.rows[0]!.measured).toContain("no report found (looked for artifact 'coverage*'");
  });

  it("fails models clearly when the registry is unreachable or not configured", async () => {
    const { deps } = setup();
    const unreachable = {
      ...deps,
      models: fakeModels({
        "BankChurn-XGBoost": new Error("MLflow unreachable at http://127.0.0.1:1: ECONNREFUSED"),
      }).registry,
    };
    const r = await evaluateChecklist(unreachable, input());
    const models = r.gates.find((g) => g.gate === "models")!;
    expect(models.status).toBe("error");
    expect(models.rows.filter((x) => x.state === "error").map((x) => x.measured)).toEqual([
      "MLflow unreachable at http://127.0.0.1:1: ECONNREFUSED",
      "MLflow unreachable at http://127.0.0.1:1: ECONNREFUSED",
    ]);
    expect(models.rows.find((x) => x.item === "TelecomAI-Customer-Intelligence: f1")!.state).toBe("pass");
    const none = await evaluateChecklist({ ...setup().deps, models: undefined }, input());
    expect(none.gates.find((g) => g.gate === "models")!.rows[0]!.measured).toContain(
      "no MLflow server serves this repository",
    );
  });

  it("reports security sources separately: a failing code-scanning API fails the gate with its reason", async () => {
    const repo = healthyRepo();
    repo.codeScanning = new Error("Advanced Security must be enabled for this repository (403)");
    repo.dependabot = [
      {
        source: "dependabot",
        id: "GHSA-xxxx",
        severity: "critical",
        title: "jinja2 sandbox escape",
        url: "https://github.com/o/r/security/dependabot/3",
      },
    ];
    const { deps } = setup(repo);
    const security = (await evaluateChecklist(deps, input())).gates.find((g) => g.gate === "security")!;
    expect(security.status).toBe("fail");
    expect(security.summary).toContain("Advanced Security must be enabled");
    expect(security.summary).toContain(
      "[dependabot: `GHSA-xxxx`](https://github.com/o/r/security/dependabot/3)",
    );
  });

  it("reads code scanning on the PR merge ref, else the branch, and fails as missing when neither was analysed", async () => {
    const finding = {
      source: "code-scanning" as const,
      id: "py/sql-injection",
      severity: "high" as const,
      title: "SQL injection",
    };
    const branch = healthyRepo();
    branch.codeScanning = { "refs/heads/release/v1.2.0": [finding] };
    const onBranch = (await evaluateChecklist(setup(branch).deps, input())).gates.find(
      (g) => g.gate === "security",
    )!;
    expect(onBranch).toMatchObject({ status: "fail", title: "1 open critical/high security findings" });
    const none = healthyRepo();
    none.codeScanning = {};
    const unscanned = (await evaluateChecklist(setup(none).deps, input())).gates.find(
      (g) => g.gate === "security",
    )!;
    expect(unscanned.status).toBe("missing");
    expect(unscanned.summary).toContain(
      "no code-scanning analysis on refs/pull/7/merge or refs/heads/release/v1.2.0",
    );
  });

  it("skips disabled gates, concludes advisory ones neutral and keeps pending ones in progress", async () => {
    const repo = healthyRepo();
    repo.checks[0] = { ...repo.checks[0]!, state: "pending" };
    const { deps, runs } = setup(repo);
    const r = await evaluateChecklist(
      deps,
      input(
        {},
        {
          ...configInput,
          models: { enabled: false },
          compliance: { required: false },
          docs: { required: false, files: ["docs/**"] },
        },
      ),
    );
    expect(r.gates.map((g) => g.gate)).not.toContain("models");
    expect(r.gates.find((g) => g.gate === "docs")).toMatchObject({ status: "fail", conclusion: "neutral" });
    expect(r.gates.find((g) => g.gate === "tests")).toMatchObject({ status: "pending", conclusion: null });
    expect(r.readiness).toMatchObject({ status: "pending", title: "Waiting for Tests" });
    expect(runs.runs.find((x) => x.name === "Checklist: Tests")!.run.status).toBe("in_progress");
  });

  it("does not count its own check runs as CI checks", async () => {
    const repo = healthyRepo();
    repo.checks = repo.checks.filter((c) => c.name !== "Integration tests");
    const { deps } = setup(repo);
    const r = await evaluateChecklist(deps, input());
    expect(r.gates.find((g) => g.gate === "integration")).toMatchObject({ status: "missing" });
  });

  it("looks up the previous tag only when not given, and team membership only for deciders", async () => {
    const repo = healthyRepo();
    repo.reviews.push({ user: "bob", state: "COMMENTED" }, { user: "carol", state: "APPROVED" });
    const { deps, src } = setup(repo);
    const r = await evaluateChecklist(deps, input({ previousTag: null }));
    expect(src.calls["findLatestTag"]).toBeUndefined();
    expect(src.calls["compare"]).toBeUndefined();
    expect(src.calls["isTeamMember"]).toBe(2);
    expect(r.gates.find((g) => g.gate === "approvals")!.summary).toContain("@carol (not a release manager)");
  });

  it("re-creates every run when forced, or only the one whose Re-run button was pressed", async () => {
    const { deps, runs } = setup();
    await evaluateChecklist(deps, input());
    expect((await evaluateChecklist(deps, input({ force: true }))).writes).toBe(10);
    runs.log.length = 0;
    const one = await evaluateChecklist(deps, input({ force: ["Checklist: Docs"] }));
    // The new Docs run has a new page, so the readiness table's link changes with it.
    expect(runs.log).toEqual(["create Checklist: Docs", "update Release readiness"]);
    expect(one.writes).toBe(2);
  });

  it("reads the PR body when the event did not carry it", async () => {
    const { deps, src } = setup();
    const base = input();
    const r = await evaluateChecklist(deps, { ...base, pr: { ...base.pr, body: undefined } });
    expect(src.calls["readPullBody"]).toBe(1);
    expect(r.gates.find((g) => g.gate === "compliance")).toMatchObject({
      status: "fail",
      title: "1 of 2 compliance items open",
    });
  });
});
