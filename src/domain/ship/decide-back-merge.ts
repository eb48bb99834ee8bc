/** What to do to bring main's release commits back into develop. */
export type BackMergeDecision =
  | { kind: "up-to-date" }
  | { kind: "merge" }
  | { kind: "pull"; reason: "not-allowed" | "conflict"; conflicts: string[] };

export interface BackMergeFacts {
  /** Commits on main not yet on develop. */
  aheadBy: number;
  directAllowed: boolean;
  /** Set after a direct merge was refused (409 conflict, or 403/422 by branch protection). */
  directFailed?: "conflict" | "refused" | undefined;
  /** Files changed on main since the merge base. */
  changedOnMain?: readonly string[];
  /** Files changed on develop since the merge base. */
  changedOnDevelop?: readonly string[];
}

/** Files both sides changed since they parted: where a merge can conflict (sorted). */
export const conflictCandidates = (main: readonly string[], develop: readonly string[]): string[] => {
  const onDevelop = new Set(develop);
  return [...new Set(main.filter((f) => onDevelop.has(f)))].sort();
};

/** Merge directly when allowed and clean; otherwise a PR main → develop naming the files at risk. */
export const decideBackMerge = (facts: BackMergeFacts): BackMergeDecision => {
  if (facts.aheadBy === 0) return { kind: "up-to-date" };
  const conflicts = conflictCandidates(facts.changedOnMain ?? [], facts.changedOnDevelop ?? []);
  if (!facts.directAllowed) return { kind: "pull", reason: "not-allowed", conflicts };
  if (facts.directFailed === "conflict") return { kind: "pull", reason: "conflict", conflicts };
  if (facts.directFailed === "refused") return { kind: "pull", reason: "not-allowed", conflicts };
  return { kind: "merge" };
};

const BACK_MERGE_MARKER = "<!-- release-pilot:back-merge -->";

/** The back-merge PR's body. */
export const renderBackMergeBody = (input: {
  main: string;
  develop: string;
  tag: string;
  reason: "not-allowed" | "conflict";
  conflicts: readonly string[];
}): string => {
  const why =
    input.reason === "conflict"
      ? `\`${input.main}\` does not merge cleanly into \`${input.develop}\`, so this PR does it by hand.`
      : `Direct merges into \`${input.develop}\` are turned off (or refused by branch protection), so this PR does it.`;
  const files = input.conflicts.length
    ? [
        "",
        "Files changed on both branches (resolve conflicts here):",
        "",
        ...input.conflicts.map((f) => `- \`${f}\``),
      ]
    : [];
  return [
    BACK_MERGE_MARKER,
    `## ↩️ Back-merge ${input.tag} into \`${input.develop}\``,
    "",
    `Step 10 of the release guide: bring \`${input.main}\` (${input.tag}) back into \`${input.develop}\`. ${why}`,
    ...files,
    "",
  ].join("\n");
};
