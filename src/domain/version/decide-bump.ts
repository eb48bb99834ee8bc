import { parseConventionalCommit } from "./conventional-commit.js";
import type { BumpKind } from "./version.js";

/** The bump implied by conventional commits: breaking → major, feat → minor, else patch. */
export const decideBump = (commits: readonly { message: string }[]): BumpKind => {
  let bump: BumpKind = "patch";
  for (const commit of commits) {
    const parsed = parseConventionalCommit(commit.message);
    if (parsed.breaking) return "major";
    if (parsed.type === "feat") bump = "minor";
  }
  return bump;
};
