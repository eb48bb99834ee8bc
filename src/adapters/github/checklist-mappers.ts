import { normaliseSeverity } from "../../domain/checklist/security-report.js";
import type { CommitCheck, Finding } from "../../domain/checklist/types.js";
import { httpStatusOf } from "./octokit.js";

/** Unchecked casts of GitHub's answers live here, once. */

export interface GitHubCheckRun {
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  details_url?: string | null;
}

export interface GitHubStatus {
  context: string;
  state: string;
  description: string | null;
  target_url: string | null;
}

const conclusionState: Record<string, CommitCheck["state"]> = {
  success: "success",
  neutral: "neutral",
  skipped: "skipped",
};

/** A check run is pending until completed; every conclusion other than success/neutral/skipped is red. */
export const checkFromRun = (r: GitHubCheckRun): CommitCheck => ({
  name: r.name,
  source: "check-run",
  state: r.status !== "completed" ? "pending" : (conclusionState[r.conclusion ?? ""] ?? "failure"),
  url: r.html_url ?? r.details_url ?? undefined,
});

export const checkFromStatus = (s: GitHubStatus): CommitCheck => ({
  name: s.context,
  source: "status",
  state: s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure",
  url: s.target_url ?? undefined,
  description: s.description ?? undefined,
});

export interface GitHubCodeScanningAlert {
  number: number;
  html_url: string;
  rule: {
    id?: string | null;
    severity?: string | null;
    security_severity_level?: string | null;
    description?: string | null;
    name?: string;
  };
  most_recent_instance?: { location?: { path?: string; start_line?: number } };
}

/** Security-severity (critical…low) when the rule has one, else the rule's level (error → high). */
export const findingFromCodeScanning = (a: GitHubCodeScanningAlert): Finding => {
  const loc = a.most_recent_instance?.location;
  return {
    source: "code-scanning",
    id: a.rule.id ?? `alert-${String(a.number)}`,
    severity: normaliseSeverity(a.rule.security_severity_level ?? a.rule.severity),
    title: a.rule.description ?? a.rule.name ?? "code scanning alert",
    location: loc?.path ? `${loc.path}${loc.start_line ? `:${String(loc.start_line)}` : ""}` : undefined,
    url: a.html_url,
  };
};

export interface GitHubDependabotAlert {
  number: number;
  html_url: string;
  security_advisory: { ghsa_id: string; cve_id: string | null; summary: string; severity: string };
  security_vulnerability?: { severity?: string; package?: { name?: string } };
  dependency?: { manifest_path?: string; package?: { name?: string } };
}

export const findingFromDependabot = (a: GitHubDependabotAlert): Finding => {
  const pkg = a.dependency?.package?.name ?? a.security_vulnerability?.package?.name;
  return {
    source: "dependabot",
    id: a.security_advisory.cve_id ?? a.security_advisory.ghsa_id,
    severity: normaliseSeverity(a.security_vulnerability?.severity ?? a.security_advisory.severity),
    title: pkg ? `${pkg}: ${a.security_advisory.summary}` : a.security_advisory.summary,
    location: a.dependency?.manifest_path,
    url: a.html_url,
  };
};

/** A short reason naming what failed, for a gate's failure row. */
export const describeFailure = (what: string, e: unknown): Error => {
  const status = httpStatusOf(e);
  const message = e instanceof Error ? e.message : String(e);
  // Named after the system that failed, as every reply is (docs/reliability.md).
  return new Error(`${what} failed${status ? ` (GitHub answered ${String(status)})` : ""}: ${message}`, {
    cause: e,
  });
};
