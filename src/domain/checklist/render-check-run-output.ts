import { createHash } from "node:crypto";
import type { CheckConclusion, GateResult } from "./types.js";

/** GitHub rejects check-run summaries longer than this. */
const MAX_SUMMARY = 65535;
const EXTERNAL_ID_PREFIX = "release-pilot:checklist:";

export interface CheckRunOutput {
  name: string;
  status: "in_progress" | "completed";
  conclusion?: CheckConclusion;
  /** A hash of everything shown, so an unchanged result is recognised without re-reading the run. */
  externalId: string;
  output: { title: string; summary: string };
}

const truncate = (s: string, max: number): string =>
  s.length <= max ? s : `${s.slice(0, max - 40)}\n\n_…summary truncated._`;

/** A gate result as the check-run fields GitHub takes. */
export const renderCheckRunOutput = (result: GateResult): CheckRunOutput => {
  const title = truncate(result.title, 1000);
  const summary = truncate(result.summary, MAX_SUMMARY);
  const status = result.conclusion === null ? "in_progress" : "completed";
  const digest = createHash("sha256")
    .update(JSON.stringify([result.name, status, result.conclusion, title, summary]))
    .digest("hex")
    .slice(0, 32);
  return {
    name: result.name,
    status,
    ...(result.conclusion === null ? {} : { conclusion: result.conclusion }),
    externalId: `${EXTERNAL_ID_PREFIX}${digest}`,
    output: { title, summary },
  };
};
