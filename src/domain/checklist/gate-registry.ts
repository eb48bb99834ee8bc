import type { Result } from "../result.js";
import { evaluateApprovals } from "./gates/approvals-gate.js";
import { evaluateChecks } from "./gates/checks-gate.js";
import { evaluateCompliance } from "./gates/compliance-gate.js";
import { evaluateCoverage } from "./gates/coverage-gate.js";
import { evaluateDocs } from "./gates/docs-gate.js";
import { evaluateModels } from "./gates/models-gate.js";
import { evaluateSecurity } from "./gates/security-gate.js";
import { evaluateVersions } from "./gates/versions-gate.js";
import { renderGateSummary } from "./render-gate-summary.js";
import type { ChecklistSettings } from "./checklist-settings.js";
import type { CheckConclusion, GateId, GateInputs, GateResult, GateStatus, Verdict } from "./types.js";
import { gateIds } from "./types.js";
import { checklistCheckNames, checkNameOf, GATE_TITLES, READINESS_CHECK_NAME } from "./gate-names.js";

export interface GateSpec<K extends GateId> {
  id: K;
  title: string;
  /** The check-run name a branch protection rule requires. */
  checkName: string;
  evaluate(input: GateInputs[K], config: ChecklistSettings): Verdict;
}

const spec = <K extends GateId>(id: K, evaluate: GateSpec<K>["evaluate"]): GateSpec<K> => ({
  id,
  title: GATE_TITLES[id],
  checkName: checkNameOf(id),
  evaluate,
});

/** Gate id → evaluator; the use-case, the docs and the readiness table all walk this. */
const gateRegistry: { [K in GateId]: GateSpec<K> } = {
  tests: spec("tests", (i, c) => evaluateChecks("test", "checklist.tests.checks", c.tests.checks, i)),
  coverage: spec("coverage", evaluateCoverage),
  security: spec("security", evaluateSecurity),
  docs: spec("docs", evaluateDocs),
  versions: spec("versions", (i) => evaluateVersions(i)),
  models: spec("models", (i) => evaluateModels(i)),
  integration: spec("integration", (i, c) =>
    evaluateChecks("integration", "checklist.integration.checks", c.integration.checks, i),
  ),
  approvals: spec("approvals", evaluateApprovals),
  compliance: spec("compliance", evaluateCompliance),
};

export { checklistCheckNames, READINESS_CHECK_NAME };

const gateSettings = (config: ChecklistSettings, id: GateId): { enabled: boolean; required: boolean } =>
  config[id];

export const enabledGates = (config: ChecklistSettings): GateId[] =>
  gateIds.filter((id) => config[id].enabled);

/** Required gates fail; advisory gates only warn (neutral); pending stays in progress. */
const conclusionFor = (status: GateStatus, required: boolean): CheckConclusion | null =>
  status === "pass" ? "success" : status === "pending" ? null : required ? "failure" : "neutral";

export const finishGate = (
  gate: GateId | "readiness",
  name: string,
  verdict: Verdict,
  required: boolean,
  note?: string,
): GateResult => ({
  gate,
  name,
  status: verdict.status,
  conclusion: conclusionFor(verdict.status, required),
  required,
  title: verdict.title,
  summary: renderGateSummary({
    rows: verdict.rows,
    advice: verdict.advice,
    required,
    ...(note ? { note } : {}),
  }),
  rows: verdict.rows,
});

/** Evaluates one gate; an unreadable input or an evaluator bug fails the gate, never the run. */
export const evaluateGate = <K extends GateId>(
  id: K,
  input: Result<GateInputs[K]>,
  config: ChecklistSettings,
): GateResult => {
  const gate: GateSpec<K> = gateRegistry[id];
  const { required } = gateSettings(config, id);
  let verdict: Verdict;
  if (!input.ok) {
    verdict = {
      status: "error",
      title: `Could not read the ${gate.title.toLowerCase()} inputs`,
      rows: [{ item: gate.title, measured: input.error, threshold: "readable inputs", state: "error" }],
      advice: ["Fix the cause above, then press Re-run or comment `/checklist`."],
    };
  } else {
    try {
      verdict = gate.evaluate(input.value, config);
    } catch (e) {
      verdict = {
        status: "error",
        title: `The ${gate.title.toLowerCase()} gate could not be evaluated`,
        rows: [
          {
            item: gate.title,
            measured: e instanceof Error ? e.message : String(e),
            threshold: "—",
            state: "error",
          },
        ],
        advice: ["This is a release-pilot bug: please report it with this check run's link."],
      };
    }
  }
  return finishGate(id, gate.checkName, verdict, required);
};
