// Repository rulesets restricting refs: which rules apply to a ref, and GitHub's refusal when a
// write breaks one ("Available rules for rulesets":
// https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets;
// the rules' REST shapes: https://docs.github.com/en/rest/repos/rules).
import { missingChecksMessage, unmetChecks, type ProtectedRepo } from "./branch-protection.js";
import type { Ruleset, RulesetRule } from "./state.js";

export type { Ruleset, RulesetRule };

/** What the rules need of a repository. */
export interface RulesetRepo extends ProtectedRepo {
  defaultBranch: string;
  rulesets: Ruleset[];
}

/**
 * A ref_name pattern: `~ALL`, `~DEFAULT_BRANCH`, or fnmatch on the full ref name, where `*` stays
 * within one path segment and `**` crosses them ("Using fnmatch syntax" in "Creating rulesets for
 * a repository": https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/creating-rulesets-for-a-repository#using-fnmatch-syntax).
 */
export function refMatches(pattern: string, ref: string, defaultBranch: string): boolean {
  if (pattern === "~ALL") return true;
  if (pattern === "~DEFAULT_BRANCH") return ref === `refs/heads/${defaultBranch}`;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`).test(ref);
}

/** The active rulesets' rules for `ref`, each with the ruleset it comes from. */
export function rulesFor(repo: RulesetRepo, ref: string): { rule: RulesetRule; ruleset: Ruleset }[] {
  const prefix = ref.startsWith("refs/tags/") ? "tag" : ref.startsWith("refs/heads/") ? "branch" : undefined;
  return repo.rulesets
    .filter(
      (s) =>
        s.enforcement === "active" &&
        s.target === prefix &&
        s.include.some((p) => refMatches(p, ref, repo.defaultBranch)) &&
        !s.exclude.some((p) => refMatches(p, ref, repo.defaultBranch)),
    )
    .flatMap((ruleset) => ruleset.rules.map((rule) => ({ rule, ruleset })));
}

export interface RefWrite {
  ref: string;
  kind: "create" | "update" | "delete";
  /** The commit the ref will point at (create, update). */
  sha?: string;
  /** The update is not a fast forward (a force update). */
  force?: boolean;
  /** The write is the App's (an Integration bypass actor passes). */
  byApp: boolean;
}

/**
 * GitHub's 422 message when `write` breaks a rule, or undefined. The REST API answers a ruleset
 * refusal with "Repository rule violations found", then each broken rule's own sentence — the
 * same sentences `git push` prints after "GH013" ("Cannot create ref due to creations being
 * restricted.", "Cannot update this protected ref.", "Cannot delete this protected ref.",
 * "Cannot force-push to this branch", 'Required status check "ci" is expected.').
 */
export function rulesetRefusal(repo: RulesetRepo, write: RefWrite): string | undefined {
  const broken = new Set<string>();
  for (const { rule, ruleset } of rulesFor(repo, write.ref)) {
    if (write.byApp && ruleset.appBypasses) continue;
    if (rule.type === "creation" && write.kind === "create")
      broken.add("Cannot create ref due to creations being restricted.");
    if (rule.type === "update" && write.kind === "update") broken.add("Cannot update this protected ref.");
    if (rule.type === "deletion" && write.kind === "delete") broken.add("Cannot delete this protected ref.");
    if (rule.type === "non_fast_forward" && write.kind === "update" && write.force)
      broken.add("Cannot force-push to this branch");
    if (rule.type === "required_status_checks" && write.sha && write.kind !== "delete") {
      if (write.kind === "create" && rule.parameters.do_not_enforce_on_create) continue;
      const required = rule.parameters.required_status_checks.map((c) => c.context);
      const missing = unmetChecks(repo, required, write.sha);
      if (missing.length > 0) broken.add(missingChecksMessage(missing));
    }
  }
  return broken.size > 0 ? `Repository rule violations found\n\n${[...broken].join("\n\n")}\n\n` : undefined;
}

/** A rule as `GET /rules/branches/{branch}` lists it (`repository-rule-detailed`). */
export function ruleJson(repoFullName: string, rule: RulesetRule, ruleset: Ruleset) {
  return {
    ...rule,
    ...(rule.type === "update" ? { parameters: { update_allows_fetch_and_merge: false } } : {}),
    ruleset_source_type: "Repository",
    ruleset_source: repoFullName,
    ruleset_id: ruleset.id,
  };
}
