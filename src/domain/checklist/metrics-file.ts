import type { Result } from "../result.js";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A metrics JSON file: `{ "f1": 0.62 }` or `{ "metrics": { "f1": 0.62 } }`; numeric entries only. */
export const parseMetricsFile = (text: string): Result<Record<string, number>> => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      error: `metrics file is malformed JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (!isRecord(doc)) return { ok: false, error: "metrics file is not a JSON object" };
  const source = isRecord(doc["metrics"]) ? doc["metrics"] : doc;
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(source))
    if (typeof v === "number" && Number.isFinite(v)) metrics[k] = v;
  return { ok: true, value: metrics };
};
