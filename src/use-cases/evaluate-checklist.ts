import type { Result } from "../domain/result.js";
import { evaluateReadiness } from "../domain/checklist/evaluate-readiness.js";
import { enabledGates, evaluateGate } from "../domain/checklist/gate-registry.js";
import { renderCheckRunOutput } from "../domain/checklist/render-check-run-output.js";
import type { ChecklistConfig } from "../config/sections/checklist-section.js";
import type { GateId, GateInputs, GateResult } from "../domain/checklist/types.js";
import type { CheckRunWriter, StoredCheckRun } from "../ports/checklist.js";
import { applyCheckRunWrites } from "./checklist/apply-check-run-writes.js";
import {
  createGatherContext,
  errorMessage,
  type ChecklistDeps,
  type ChecklistProject,
  type ChecklistPullRequest,
  type GatherContext,
} from "./checklist/gather-context.js";
import { gatherers } from "./checklist/gatherers.js";

export type { ChecklistDeps, ChecklistProject, ChecklistPullRequest };

export interface EvaluateChecklistDeps extends ChecklistDeps {
  checkRuns: CheckRunWriter;
}

export interface EvaluateChecklistInput {
  pr: ChecklistPullRequest;
  /** The release version, e.g. "1.2.0". */
  version: string;
  config: ChecklistConfig;
  projects: ChecklistProject[];
  /** The previous release tag when the caller knows it (null: first release); otherwise looked up. */
  previousTag?: string | null | undefined;
  /**
   * Re-create runs even when unchanged: true for all, or the check-run names the Re-run button
   * was pressed on.
   */
  force?: boolean | string[] | undefined;
  /**
   * The last evaluation on this head: only the gates in `only` are gathered again, the others'
   * results are taken from it, and its runs stand for this app's check runs (no listing).
   */
  reuse?:
    { only: readonly GateId[]; gates: readonly GateResult[]; runs: readonly StoredCheckRun[] } | undefined;
}

export interface EvaluateChecklistResult {
  gates: GateResult[];
  readiness: GateResult;
  /** Check runs created or updated. */
  writes: number;
  /** This app's check runs on the head after the writes. */
  runs: StoredCheckRun[];
}

const gateResult = async <K extends GateId>(id: K, ctx: GatherContext): Promise<GateResult> => {
  let input: Result<GateInputs[K]>;
  try {
    input = { ok: true, value: await gatherers[id](ctx) };
  } catch (e) {
    input = { ok: false, error: errorMessage(e) };
  }
  return evaluateGate(id, input, ctx.config);
};

/**
 * Evaluates every enabled gate on the PR head, each from its own inputs (one unreadable
 * source fails only its gate), then publishes the check runs that changed and, last,
 * the Release readiness run.
 */
export const evaluateChecklist = async (
  deps: EvaluateChecklistDeps,
  input: EvaluateChecklistInput,
): Promise<EvaluateChecklistResult> => {
  const ctx = createGatherContext({
    deps,
    pr: input.pr,
    version: input.version.replace(/^v/, ""),
    config: input.config,
    projects: input.projects,
    previousTag: input.previousTag,
  });
  const { reuse } = input;
  const again = (id: GateId) => !reuse || reuse.only.includes(id);
  const [gates, existing] = await Promise.all([
    Promise.all(
      enabledGates(input.config).map(
        (id) => (again(id) ? undefined : reuse?.gates.find((g) => g.gate === id)) ?? gateResult(id, ctx),
      ),
    ),
    reuse ? [...reuse.runs] : deps.checkRuns.listOwn(input.pr.headSha),
  ]);
  const sha = input.pr.headSha;
  const force = input.force ?? false;
  const first = await applyCheckRunWrites(
    deps.checkRuns,
    sha,
    gates.map(renderCheckRunOutput),
    existing,
    force,
  );
  const readiness = evaluateReadiness(gates, first.links);
  const last = await applyCheckRunWrites(
    deps.checkRuns,
    sha,
    [renderCheckRunOutput(readiness)],
    first.runs,
    force,
  );
  return { gates, readiness, writes: first.writes + last.writes, runs: last.runs };
};
