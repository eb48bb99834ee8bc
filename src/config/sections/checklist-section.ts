import { z } from "zod";
import type { ChecklistSettings } from "../../domain/checklist/checklist-settings.js";
import type { ModelThresholds } from "../../domain/checklist/types.js";
import type { Conforms } from "../conforms.js";

/** Whether a gate runs, and whether its failure blocks (failure) or only warns (neutral). */
const gateFlags = (what: string) => ({
  enabled: z.boolean().default(true).describe(`Evaluate the ${what} gate and publish its check run.`),
  required: z
    .boolean()
    .default(true)
    .describe(`A failing ${what} gate concludes 'failure' (true) or, as advisory, 'neutral' (false).`),
});

const patterns = (defaults: string[], what: string) =>
  z.array(z.string().min(1)).default(defaults).describe(what);

/** `>= 0.60`, `> 0.8`, `<= 120`, `< 0.1` (checked again by the domain parser, which never throws). */
const metricExpression = z
  .string()
  .regex(/^\s*(>=|<=|>|<|==)\s*-?\d+(\.\d+)?\s*$/, "expected a comparison such as '>= 0.60'");

const coverageProject = z
  .object({
    threshold: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe("This project's minimum line coverage, in percent."),
    artifact: z.string().min(1).optional().describe("Artifact name pattern holding this project's report."),
    reports: z.array(z.string().min(1)).optional().describe("Report path patterns inside the artifact."),
    statusContext: z
      .string()
      .min(1)
      .optional()
      .describe("Commit status context whose description carries the figure."),
  })
  .strict();

const modelSpec = z
  .object({
    source: z
      .enum(["mlflow", "file"])
      .default("mlflow")
      .describe("Read metrics from MLflow or from a JSON file in the repo."),
    name: z.string().min(1).optional().describe("Registered model name in MLflow."),
    stage: z
      .string()
      .min(1)
      .optional()
      .describe("MLflow stage whose latest version ships (e.g. Production)."),
    alias: z.string().min(1).optional().describe("MLflow alias of the version that ships (e.g. champion)."),
    version: z.string().min(1).optional().describe("Exact MLflow model version that ships."),
    path: z.string().min(1).optional().describe("For source 'file': metrics JSON path at the PR head."),
    metrics: z
      .record(z.string(), metricExpression)
      .default({})
      .describe("Metric name → threshold expression, e.g. { f1: '>= 0.60', auc: '>= 0.85' }."),
  })
  .strict();

/** The pre-release checklist: one check run per gate plus the aggregate Release readiness run. */
export const checklistSection = z
  .object({
    tests: z
      .object({
        ...gateFlags("tests"),
        checks: patterns(
          ["test*", "*/ test*"],
          "Check-run / status names (globs, case-insensitive) that must be green.",
        ),
      })
      .strict()
      .prefault({})
      .describe("Required CI checks green on the PR head."),
    coverage: z
      .object({
        ...gateFlags("coverage"),
        threshold: z
          .number()
          .min(0)
          .max(100)
          .default(75)
          .describe("Minimum line coverage per project, in percent."),
        artifact: z
          .string()
          .min(1)
          .default("coverage*")
          .describe("Workflow-run artifact name pattern; '{project}' is replaced by the project name."),
        reports: patterns(
          [
            "{project}/coverage.xml",
            "{project}/coverage.json",
            "{project}/lcov.info",
            "{project}/coverage-summary.json",
          ],
          "Report path patterns inside the artifact ('{project}' replaced; Cobertura XML, coverage.py JSON, lcov, istanbul json-summary).",
        ),
        statusContext: z
          .string()
          .min(1)
          .default("coverage/{project}")
          .describe(
            "Commit status context whose description holds a percentage, used when no report is found.",
          ),
        projects: z.record(z.string(), coverageProject).default({}).describe("Per-project overrides."),
      })
      .strict()
      .prefault({})
      .describe("Line coverage per project against its threshold."),
    security: z
      .object({
        ...gateFlags("security"),
        severities: z
          .array(z.enum(["critical", "high", "medium", "low"]))
          .default(["critical", "high"])
          .describe("Severities that block a release."),
        sources: z
          .array(z.enum(["code-scanning", "dependabot", "trivy", "bandit"]))
          .default(["code-scanning", "dependabot"])
          .describe("Where findings are read; every listed source must be readable."),
        artifact: z
          .string()
          .min(1)
          .default("security*")
          .describe("Artifact name pattern holding Trivy / Bandit JSON reports."),
        trivyReport: z
          .string()
          .min(1)
          .default("**/trivy*.json")
          .describe("Trivy JSON report path pattern in the artifact."),
        banditReport: z
          .string()
          .min(1)
          .default("**/bandit*.json")
          .describe("Bandit JSON report path pattern in the artifact."),
      })
      .strict()
      .prefault({})
      .describe("No open blocking security findings."),
    docs: z
      .object({
        ...gateFlags("docs"),
        changelog: z
          .string()
          .min(1)
          .default("CHANGELOG.md")
          .describe("Changelog that must hold a non-empty section for the version."),
        files: patterns(["README.md"], "Files (globs) that must have changed since the last release tag."),
      })
      .strict()
      .prefault({})
      .describe("CHANGELOG section and updated docs."),
    versions: z
      .object({ ...gateFlags("version consistency") })
      .strict()
      .prefault({})
      .describe("Every version file carries the release version."),
    models: z
      .object({
        ...gateFlags("model performance"),
        projects: z
          .record(z.string(), modelSpec)
          .default({})
          .describe("Project name → the model that ships and its metric thresholds."),
      })
      .strict()
      .prefault({})
      .describe("Model metrics meet their thresholds."),
    // A repository config cannot name where credentials go: a PR author once pointed this at
    // their own server with `tokenEnv: WEBHOOK_SECRET` and received the secret.
    mlflow: z
      .never({
        error:
          "MLflow's server and token are the operator's settings (`mlflow` in the RELEASE_PILOT_SETTINGS file), not a repository's: remove `checklist.mlflow`",
      })
      .optional()
      .describe(
        "Not a repository setting: the MLflow server and its token are set by the app's operator (`mlflow` in the `RELEASE_PILOT_SETTINGS` file).",
      ),
    integration: z
      .object({
        ...gateFlags("integration tests"),
        checks: patterns(
          ["*integration*"],
          "End-to-end check names (globs, case-insensitive) that must be green.",
        ),
      })
      .strict()
      .prefault({})
      .describe("Integration checks green on the PR head."),
    approvals: z
      .object({
        ...gateFlags("approvals"),
        count: z.number().int().min(0).default(1).describe("Approving reviews needed from release managers."),
        managers: z
          .array(z.string().min(1))
          .default([])
          .describe("Release managers: user logins or 'org/team' slugs; empty means any reviewer counts."),
      })
      .strict()
      .prefault({})
      .describe("Release-manager approvals."),
    compliance: z
      .object({
        ...gateFlags("compliance"),
        items: patterns(
          [],
          "Task-list items (text, case-insensitive) that must be present and checked; empty means all.",
        ),
      })
      .strict()
      .prefault({})
      .describe("Compliance task list in the PR body fully checked."),
  })
  .strict()
  .prefault({});

export type ChecklistConfig = Conforms<z.infer<typeof checklistSection>, ChecklistSettings>;
export type ChecklistConfigInput = z.input<typeof checklistSection>;
export type ModelSpec = Conforms<z.infer<typeof modelSpec>, ModelThresholds>;
