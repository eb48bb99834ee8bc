import { planCheckRunWrites } from "../../domain/checklist/plan-check-run-writes.js";
import type { CheckRunOutput } from "../../domain/checklist/render-check-run-output.js";
import type { CheckRunWriter, StoredCheckRun } from "../../ports/checklist.js";

/** Writes what the plan says and returns every run's current page (written or unchanged) by name. */
export const applyCheckRunWrites = async (
  writer: CheckRunWriter,
  sha: string,
  runs: CheckRunOutput[],
  existing: StoredCheckRun[],
  force: boolean | readonly string[],
): Promise<{ writes: number; links: Record<string, string> }> => {
  const links: Record<string, string> = {};
  const byId = [...existing].sort((a, b) => a.id - b.id);
  for (const e of byId) if (e.url) links[e.name] = e.url;
  const plan = planCheckRunWrites(runs, existing, force);
  for (const w of plan) {
    const stored = w.kind === "create" ? await writer.create(sha, w.run) : await writer.update(w.id, w.run);
    if (stored.url) links[stored.name] = stored.url;
  }
  return { writes: plan.length, links };
};
