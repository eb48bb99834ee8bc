import type { GitData } from "../../ports/git-data.js";

export type TagResult =
  | { kind: "created" }
  | { kind: "already-there" }
  /** The tag exists on another commit: never moved, reported instead. */
  | { kind: "elsewhere"; commit: string };

/**
 * The annotated tag on the merge commit, created once: absent → tag object + ref; present on
 * the same commit → nothing; present elsewhere → an error for the caller to report.
 */
export const ensureTag = async (
  deps: { git: Pick<GitData, "getTagCommit" | "createAnnotatedTag"> },
  input: { tag: string; message: string; commit: string },
): Promise<TagResult> => {
  const { git } = deps;
  const existing = await git.getTagCommit(input.tag);
  if (existing === undefined) {
    if ((await git.createAnnotatedTag(input.tag, input.message, input.commit)) === "created")
      return { kind: "created" };
    // Another run created the ref between our read and write: judge what it points at.
    const raced = await git.getTagCommit(input.tag);
    return raced === input.commit ? { kind: "already-there" } : { kind: "elsewhere", commit: raced ?? "?" };
  }
  return existing === input.commit ? { kind: "already-there" } : { kind: "elsewhere", commit: existing };
};
