import { isJsonObject } from "../json-object.js";
import type { Result } from "../result.js";

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
  if (!isJsonObject(doc)) return { ok: false, error: "metrics file is not a JSON object" };
  const source = isJsonObject(doc["metrics"]) ? doc["metrics"] : doc;
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(source))
    if (typeof v === "number" && Number.isFinite(v)) metrics[k] = v;
  return { ok: true, value: metrics };
};
