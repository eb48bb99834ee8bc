import { planCheckRunWrites } from "../../domain/checklist/plan-check-run-writes.js";
import type { CheckRunOutput } from "../../domain/checklist/render-check-run-output.js";
import type { CheckRunWriter, StoredCheckRun } from "../../ports/checklist.js";

/**
 * Writes what the plan says (nothing for a run whose output is unchanged) and returns every
 * run's current page by name, and the runs as they now stand (`existing` with the writes applied).
 */
export const applyCheckRunWrites = async (
  writer: CheckRunWriter,
  sha: string,
  runs: CheckRunOutput[],
  existing: StoredCheckRun[],
  force: boolean | readonly string[],
): Promise<{ writes: number; links: Record<string, string>; runs: StoredCheckRun[] }> => {
  const links: Record<string, string> = {};
  const byId = [...existing].sort((a, b) => a.id - b.id);
  for (const e of byId) if (e.url) links[e.name] = e.url;
  const plan = planCheckRunWrites(runs, existing, force);
  const now = new Map(existing.map((e) => [e.id, e]));
  for (const w of plan) {
    const stored = w.kind === "create" ? await writer.create(sha, w.run) : await writer.update(w.id, w.run);
    now.set(stored.id, stored);
    if (stored.url) links[stored.name] = stored.url;
  }
  return { writes: plan.length, links, runs: [...now.values()] };
};
