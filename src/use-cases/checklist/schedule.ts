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
 * Evaluates one release-PR head, coalesced with the evaluations of the same head (one at a time;
 * requests during one become one more afterwards). `when: "later"` (CI completions, which come
 * in bursts) answers the webhook at once and evaluates in the background; `"now"` (a push, an
 * edit, a review: one event) evaluates before answering, unless one is running, which then runs
 * once more. Without background jobs or a memory (the CLI, a test's deps) it evaluates now.
 *
 * Nothing of it is durable: if the process dies with an evaluation queued, the head shows the
 * last one written until the next CI completion, the suite's completion, a push, a review, the
 * Re-run button on a checklist run or the next start of the app (resume-checklists.ts), each of
 * which evaluates again.
 */
export const scheduleChecklist = async (
  deps: Pick<RunChecklistDeps, "memory" | "later">,
  key: string,
  scope: EvaluationScope,
  work: (scope: EvaluationScope) => Promise<void>,
  when: "now" | "later" = "later",
): Promise<void> => {
  if (!deps.memory || !deps.later) return work(scope);
  let running: Promise<void> | undefined;
  const start =
    when === "later" ? deps.later : (_name: string, fn: () => Promise<void>) => void (running = fn());
  deps.memory.coalesce(key, scope, work, start);
  await running;
};
