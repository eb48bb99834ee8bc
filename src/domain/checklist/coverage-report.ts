import { isJsonObject } from "../json-object.js";
import type { Result } from "../result.js";
import { XMLParser, XMLValidator } from "fast-xml-parser";

export type CoverageFormat = "cobertura" | "coverage-py-json" | "istanbul-summary" | "lcov";

export interface CoverageFigure {
  format: CoverageFormat;
  /** Line coverage, in percent (0–100). */
  percent: number;
}

const fail = (error: string): Result<CoverageFigure> => ({ ok: false, error });
const figure = (format: CoverageFormat, percent: number): Result<CoverageFigure> =>
  Number.isFinite(percent) && percent >= 0 && percent <= 100
    ? { ok: true, value: { format, percent } }
    : fail(`${format} report has an impossible coverage figure (${String(percent)})`);

const num = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Cobertura XML as coverage.py writes it: `<coverage line-rate=".." lines-valid=".." lines-covered="..">`. */
const parseCobertura = (text: string): Result<CoverageFigure> => {
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return fail(`Cobertura XML is malformed: ${valid.err.msg} (line ${String(valid.err.line)})`);
  const doc: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_" }).parse(text);
  const root = isJsonObject(doc) ? doc["coverage"] : undefined;
  if (!isJsonObject(root)) return fail("Cobertura XML has no <coverage> root element");
  const validLines = num(root["@_lines-valid"]);
  const covered = num(root["@_lines-covered"]);
  if (validLines !== undefined && covered !== undefined && validLines > 0) {
    return figure("cobertura", (covered / validLines) * 100);
  }
  const rate = num(root["@_line-rate"]);
  if (rate === undefined) return fail("Cobertura XML has no line-rate attribute");
  return figure("cobertura", rate * 100);
};

const parseJsonReport = (text: string): Result<CoverageFigure> => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`coverage report is malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isJsonObject(doc)) return fail("coverage JSON is not an object");
  const totals = doc["totals"];
  if (isJsonObject(totals)) {
    const pct = num(totals["percent_covered"]);
    if (pct === undefined) return fail("coverage.py JSON has no totals.percent_covered");
    return figure("coverage-py-json", pct);
  }
  const total = doc["total"];
  if (isJsonObject(total) && isJsonObject(total["lines"])) {
    const lines = total["lines"];
    const pct = num(lines["pct"]);
    if (pct !== undefined) return figure("istanbul-summary", pct);
    // istanbul writes "Unknown" when there are no lines at all.
    return fail(`istanbul json-summary has no usable total.lines.pct (${JSON.stringify(lines["pct"])})`);
  }
  return fail("JSON is neither a coverage.py report (totals) nor an istanbul json-summary (total.lines)");
};

/** lcov tracefile: the sum of LH (lines hit) over the sum of LF (lines found). */
const parseLcov = (text: string): Result<CoverageFigure> => {
  let found = 0;
  let hit = 0;
  let records = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("LF:")) {
      const n = num(line.slice(3));
      if (n === undefined) return fail(`lcov has a bad LF line: "${line}"`);
      found += n;
      records++;
    } else if (line.startsWith("LH:")) {
      const n = num(line.slice(3));
      if (n === undefined) return fail(`lcov has a bad LH line: "${line}"`);
      hit += n;
    }
  }
  if (records === 0) return fail("lcov has no LF records");
  if (found === 0) return fail("lcov reports zero instrumented lines");
  return figure("lcov", (hit / found) * 100);
};

/** Reads any of the four formats, choosing by content (the path only breaks ties). */
export const parseCoverageReport = (path: string, text: string): Result<CoverageFigure> => {
  const head = text.trimStart();
  if (head === "") return fail(`${path} is empty`);
  if (head.startsWith("<")) return parseCobertura(text);
  if (head.startsWith("{")) return parseJsonReport(text);
  if (/^(TN|SF|LF|LH|DA):/m.test(text) || /\.info$|lcov/i.test(path)) return parseLcov(text);
  return fail(
    `${path} is not a recognised coverage report (Cobertura XML, coverage.py JSON, lcov, istanbul json-summary)`,
  );
};

/** A commit status description such as "Coverage 81.4% (+0.2%)": the first percentage. */
export const parseCoverageDescription = (description: string): Result<number> => {
  const m = /(?<![\d.])(-?\d+(?:\.\d+)?)\s*%/.exec(description);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 100
    ? { ok: true, value: n }
    : { ok: false, error: `status description "${description}" holds no percentage` };
};
