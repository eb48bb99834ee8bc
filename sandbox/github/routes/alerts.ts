// Code-scanning and Dependabot alert lists (the release gate reads them).
import { HTML, repoApi, userJson } from "../payloads.js";
import { ok, register, repoOf, type Ctx } from "../router.js";
import type { CodeScanningAlert, DependabotAlert, Repo, World } from "../state.js";

const SECURITY = ["critical", "high", "medium", "low"];

function codeScanningJson(world: World, repo: Repo, a: CodeScanningAlert): Record<string, unknown> {
  const api = `${repoApi(world, repo)}/code-scanning/alerts/${a.number}`;
  const security = SECURITY.includes(a.severity);
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.dismissedAt ?? a.createdAt,
    url: api,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/security/code-scanning/${a.number}`,
    instances_url: `${api}/instances`,
    state: a.state,
    fixed_at: null,
    dismissed_by: a.state === "dismissed" ? userJson(world, repo.owner) : null,
    dismissed_at: a.dismissedAt,
    dismissed_reason: a.state === "dismissed" ? "won't fix" : null,
    dismissed_comment: null,
    rule: {
      id: a.ruleId,
      name: a.ruleId,
      severity: security ? (a.severity === "low" ? "warning" : "error") : a.severity,
      security_severity_level: security ? a.severity : null,
      description: a.description,
      tags: ["security"],
    },
    tool: { name: a.tool, version: "2.0.0", guid: null },
    most_recent_instance: {
      ref: a.ref,
      analysis_key: ".github/workflows/codeql.yml:analyze",
      environment: "{}",
      category: ".github/workflows/codeql.yml:analyze",
      state: a.state,
      commit_sha: "0".repeat(40),
      message: { text: a.description },
      location: { path: "src/app.py", start_line: 1, end_line: 1, start_column: 1, end_column: 2 },
      classifications: [],
    },
  };
}

function dependabotJson(world: World, repo: Repo, a: DependabotAlert): Record<string, unknown> {
  const vulnerability = {
    package: { ecosystem: a.ecosystem, name: a.packageName },
    severity: a.severity,
    vulnerable_version_range: "< 999.0.0",
    first_patched_version: { identifier: "999.0.0" },
  };
  return {
    number: a.number,
    state: a.state,
    dependency: {
      package: { ecosystem: a.ecosystem, name: a.packageName },
      manifest_path: a.manifestPath,
      scope: "runtime",
      relationship: "direct",
    },
    security_advisory: {
      ghsa_id: `GHSA-sand-box${String(a.number).padStart(2, "0")}-xxxx`.slice(0, 19),
      cve_id: null,
      summary: a.summary,
      description: a.summary,
      vulnerabilities: [vulnerability],
      severity: a.severity,
      cvss: { vector_string: null, score: 0 },
      cwes: [],
      identifiers: [],
      references: [],
      published_at: a.createdAt,
      updated_at: a.createdAt,
      withdrawn_at: null,
    },
    security_vulnerability: vulnerability,
    url: `${repoApi(world, repo)}/dependabot/alerts/${a.number}`,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/security/dependabot/${a.number}`,
    created_at: a.createdAt,
    updated_at: a.dismissedAt ?? a.createdAt,
    dismissed_at: a.dismissedAt,
    dismissed_by: a.state === "dismissed" ? userJson(world, repo.owner) : null,
    dismissed_reason: a.state === "dismissed" ? "tolerable_risk" : null,
    dismissed_comment: null,
    fixed_at: null,
    auto_dismissed_at: null,
  };
}

function list(ctx: Ctx, key: string): string[] {
  return (ctx.query.get(key) ?? "").split(",").filter(Boolean);
}

register({
  "code-scanning/list-alerts-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const ref = ctx.query.get("ref");
    const state = ctx.query.get("state");
    const severity = ctx.query.get("severity");
    const items = repo.codeScanning.filter(
      (a) =>
        (!ref || a.ref === ref || a.ref === `refs/heads/${ref}`) &&
        (!state || a.state === state) &&
        (!severity || a.severity === severity),
    );
    return ok(items.map((a) => codeScanningJson(ctx.world, repo, a)));
  },
  "dependabot/list-alerts-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const states = list(ctx, "state");
    const severities = list(ctx, "severity");
    const items = repo.dependabot.filter(
      (a) =>
        (states.length === 0 || states.includes(a.state)) &&
        (severities.length === 0 || severities.includes(a.severity)),
    );
    return ok(items.map((a) => dependabotJson(ctx.world, repo, a)));
  },
});

/** Refs a code-scanning analysis ran on, per repository (alerts imply one on their ref). */
const analysedRefs = new WeakMap<Repo, Set<string>>();

export function recordCodeScanningAnalysis(repo: Repo, ref: string): void {
  const refs = analysedRefs.get(repo) ?? new Set<string>();
  refs.add(ref.startsWith("refs/") ? ref : `refs/heads/${ref}`);
  analysedRefs.set(repo, refs);
}

register({
  // GitHub answers 404 while a repository has no analysis at all, else the analyses of the ref.
  "code-scanning/list-recent-analyses": (ctx) => {
    const repo = repoOf(ctx);
    const refs = new Set([...(analysedRefs.get(repo) ?? []), ...repo.codeScanning.map((a) => a.ref)]);
    if (refs.size === 0)
      return { status: 404, body: { message: "no analysis found", documentation_url: "" } };
    const wanted = ctx.query.get("ref");
    const matching = [...refs].filter((ref) => !wanted || ref === wanted || ref === `refs/heads/${wanted}`);
    return ok(
      matching.map((ref, index) => ({
        ref,
        commit_sha: "0".repeat(40),
        analysis_key: ".github/workflows/codeql.yml:analyze",
        environment: "{}",
        category: ".github/workflows/codeql.yml:analyze",
        error: "",
        created_at: ctx.world.now(),
        results_count: repo.codeScanning.filter((a) => a.ref === ref).length,
        rules_count: 10,
        id: index + 1,
        url: `${repoApi(ctx.world, repo)}/code-scanning/analyses/${index + 1}`,
        sarif_id: "6c81cd8e-b078-4ac3-a3be-1dad7dbd0b53",
        tool: { name: "CodeQL", version: "2.0.0", guid: null },
        deletable: true,
        warning: "",
      })),
    );
  },
});
