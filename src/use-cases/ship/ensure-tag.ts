import type { ShipGitHub } from "../../ports/ship.js";

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
  github: Pick<ShipGitHub, "getTagCommit" | "createAnnotatedTag">,
  input: { tag: string; message: string; commit: string },
): Promise<TagResult> => {
  const existing = await github.getTagCommit(input.tag);
  if (existing === undefined) {
    if ((await github.createAnnotatedTag(input.tag, input.message, input.commit)) === "created")
      return { kind: "created" };
    // Another run created the ref between our read and write: judge what it points at.
    const raced = await github.getTagCommit(input.tag);
    return raced === input.commit ? { kind: "already-there" } : { kind: "elsewhere", commit: raced ?? "?" };
  }
  return existing === input.commit ? { kind: "already-there" } : { kind: "elsewhere", commit: existing };
};
