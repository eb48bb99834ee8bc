import type { CheckRunOutput } from "./render-check-run-output.js";

/** A check run this app already has on the head commit. */
export interface ExistingCheckRun {
  id: number;
  name: string;
  externalId: string | null;
  /** A completed run cannot be moved back to in progress: a pending result gets a new run. */
  completed?: boolean | undefined;
}

export type CheckRunWrite =
  { kind: "create"; run: CheckRunOutput } | { kind: "update"; id: number; run: CheckRunOutput };

/**
 * Which check runs to create or update: none when the stored run's hash matches (few API calls
 * on re-evaluation). `force` re-creates every run (true) or the named ones: the Re-run button
 * expects a fresh run of the check it was pressed on.
 */
export const planCheckRunWrites = (
  runs: CheckRunOutput[],
  existing: ExistingCheckRun[],
  force: boolean | readonly string[] = false,
): CheckRunWrite[] => {
  const forced = (name: string) => force === true || (Array.isArray(force) && force.includes(name));
  const byName = new Map<string, ExistingCheckRun>();
  // The newest run (highest id) of a name is the one GitHub shows.
  for (const e of existing) if ((byName.get(e.name)?.id ?? -1) < e.id) byName.set(e.name, e);
  const writes: CheckRunWrite[] = [];
  for (const run of runs) {
    const stored = byName.get(run.name);
    if (forced(run.name) || !stored || (stored.completed === true && run.status === "in_progress"))
      writes.push({ kind: "create", run });
    else if (stored.externalId !== run.externalId) writes.push({ kind: "update", id: stored.id, run });
  }
  return writes;
};
