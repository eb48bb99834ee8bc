import { isJsonObject } from "../json-object.js";
import type { Result } from "../result.js";
import type { Finding, Severity } from "./types.js";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Maps any tool's severity word onto ours (GitHub's "error"/"warning" are code-scanning rule levels). */
export const normaliseSeverity = (raw: unknown): Severity => {
  const s = typeof raw === "string" ? raw.toLowerCase() : "";
  if (s === "critical") return "critical";
  if (s === "high" || s === "error") return "high";
  if (s === "medium" || s === "moderate" || s === "warning") return "medium";
  if (s === "low" || s === "note" || s === "negligible") return "low";
  return "unknown";
};

const parseJson = (text: string, what: string): Result<Record<string, unknown>> => {
  try {
    const doc: unknown = JSON.parse(text);
    return isJsonObject(doc)
      ? { ok: true, value: doc }
      : { ok: false, error: `${what} report is not a JSON object` };
  } catch (e) {
    return {
      ok: false,
      error: `${what} report is malformed JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
};

/** Trivy `--format json` (schema 2): vulnerabilities, misconfigurations and secrets of every result. */
export const parseTrivyReport = (text: string): Result<Finding[]> => {
  const doc = parseJson(text, "Trivy");
  if (!doc.ok) return doc;
  const results = doc.value["Results"];
  if (results !== undefined && results !== null && !Array.isArray(results)) {
    return { ok: false, error: "Trivy report's Results is not a list" };
  }
  if (results === undefined && doc.value["SchemaVersion"] === undefined) {
    return { ok: false, error: "not a Trivy JSON report (no SchemaVersion or Results)" };
  }
  const findings: Finding[] = [];
  for (const result of (results ?? []) as unknown[]) {
    if (!isJsonObject(result)) continue;
    const target = str(result["Target"]);
    for (const v of (Array.isArray(result["Vulnerabilities"])
      ? result["Vulnerabilities"]
      : []) as unknown[]) {
      if (!isJsonObject(v)) continue;
      const pkg = [str(v["PkgName"]), str(v["InstalledVersion"])].filter(Boolean).join("@");
      findings.push({
        source: "trivy",
        id: str(v["VulnerabilityID"]) ?? "unknown",
        severity: normaliseSeverity(v["Severity"]),
        title: [pkg, str(v["Title"])].filter(Boolean).join(": ") || "vulnerability",
        location: target,
        url: str(v["PrimaryURL"]),
      });
    }
    for (const m of (Array.isArray(result["Misconfigurations"])
      ? result["Misconfigurations"]
      : []) as unknown[]) {
      if (!isJsonObject(m) || (m["Status"] !== undefined && m["Status"] !== "FAIL")) continue;
      findings.push({
        source: "trivy",
        id: str(m["ID"]) ?? "misconfiguration",
        severity: normaliseSeverity(m["Severity"]),
        title: str(m["Title"]) ?? "misconfiguration",
        location: target,
        url: str(m["PrimaryURL"]),
      });
    }
    for (const s of (Array.isArray(result["Secrets"]) ? result["Secrets"] : []) as unknown[]) {
      if (!isJsonObject(s)) continue;
      findings.push({
        source: "trivy",
        id: str(s["RuleID"]) ?? "secret",
        severity: normaliseSeverity(s["Severity"]),
        title: str(s["Title"]) ?? "secret",
        location: target,
      });
    }
  }
  return { ok: true, value: findings };
};

/** Bandit `-f json`: one finding per entry of `results` (Bandit rates LOW / MEDIUM / HIGH). */
export const parseBanditReport = (text: string): Result<Finding[]> => {
  const doc = parseJson(text, "Bandit");
  if (!doc.ok) return doc;
  const results = doc.value["results"];
  if (!Array.isArray(results)) return { ok: false, error: "not a Bandit JSON report (no results list)" };
  const findings: Finding[] = [];
  for (const r of results as unknown[]) {
    if (!isJsonObject(r)) continue;
    const file = str(r["filename"]);
    const line = typeof r["line_number"] === "number" ? `:${String(r["line_number"])}` : "";
    findings.push({
      source: "bandit",
      id: str(r["test_id"]) ?? "bandit",
      severity: normaliseSeverity(r["issue_severity"]),
      title: str(r["issue_text"]) ?? str(r["test_name"]) ?? "issue",
      location: file ? `${file}${line}` : undefined,
      url: str(r["more_info"]),
    });
  }
  return { ok: true, value: findings };
};
