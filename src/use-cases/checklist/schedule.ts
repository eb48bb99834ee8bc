import type { ChecklistConfig } from "../../config/sections/checklist-section.js";
import { matchesGlob } from "../../domain/glob.js";
import type { RunChecklistDeps } from "../run-checklist.js";
import type { EvaluationScope } from "./memory.js";

/** Whether a check of this name is an input of a gate (tests or integration) the config enables. */
export const checklistTracks = (config: ChecklistConfig, checkName: string): boolean =>
  [config.tests, config.integration].some(
    (gate) => gate.enabled && gate.checks.some((pattern) => matchesGlob(pattern, checkName, "name")),
  );

/**
 * Evaluates one release-PR head after the webhook is answered, coalesced with the evaluations of
 * the same head (one at a time; a burst during one becomes one more). Without background jobs
 * or a memory (the CLI, a test's deps) it evaluates now.
 *
 * Nothing of it is durable: if the process dies with an evaluation queued, the head shows the
 * last one written until the next CI completion, the suite's completion, a push, a review or the
 * Re-run button on a checklist run, each of which evaluates again.
 */
export const scheduleChecklist = async (
  deps: Pick<RunChecklistDeps, "memory" | "later">,
  key: string,
  scope: EvaluationScope,
  work: (scope: EvaluationScope) => Promise<void>,
): Promise<void> => {
  if (deps.memory && deps.later) deps.memory.coalesce(key, scope, work, deps.later);
  else await work(scope);
};
