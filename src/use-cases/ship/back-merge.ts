import type { Config } from "../../config/schema.js";
import { decideBackMerge, renderBackMergeBody } from "../../domain/ship/decide-back-merge.js";
import type { GitData } from "../../ports/git-data.js";
import type { Pulls } from "../../ports/pulls.js";

export type BackMergeResult =
  { kind: "merged"; sha: string } | { kind: "pull"; url: string } | { kind: "up-to-date" };

/**
 * Step 10: main back into develop. Merged directly when conflict-free and allowed; otherwise
 * (or when refused) a PR main → develop naming the files both sides changed. An open
 * back-merge PR is reused, never doubled.
 */
export const backMerge = async (
  deps: { git: Pick<GitData, "compare" | "mergeInto">; pulls: Pick<Pulls, "findOpenPull" | "createPull"> },
  input: { config: Config; tag: string },
): Promise<BackMergeResult> => {
  const { git, pulls } = deps;
  const { mainBranch: main, developBranch: develop } = input.config.release;
  const open = await pulls.findOpenPull(main, develop);
  if (open) return { kind: "pull", url: open.url };
  const ahead = await git.compare(develop, main);
  const directAllowed = input.config.ship.backMerge.direct;
  const first = decideBackMerge({ aheadBy: ahead.aheadBy, directAllowed });
  if (first.kind === "up-to-date") return first;
  let directFailed: "conflict" | "refused" | undefined;
  if (first.kind === "merge") {
    const merged = await git.mergeInto(develop, main, `Merge ${main} (${input.tag}) into ${develop}`);
    if (merged.kind === "merged" || merged.kind === "up-to-date") return merged;
    directFailed = merged.kind;
  }
  const behind = await git.compare(main, develop);
  const final = decideBackMerge({
    aheadBy: ahead.aheadBy,
    directAllowed,
    directFailed,
    changedOnMain: ahead.files,
    changedOnDevelop: behind.files,
  });
  if (final.kind !== "pull") return { kind: "up-to-date" }; // unreachable: a merge was already tried
  const { reason, conflicts } = final;
  const pull = await pulls.createPull({
    head: main,
    base: develop,
    title: `Back-merge ${input.tag} into ${develop}`,
    body: renderBackMergeBody({ main, develop, tag: input.tag, reason, conflicts }),
  });
  if (pull !== "exists") return { kind: "pull", url: pull.url };
  const raced = await pulls.findOpenPull(main, develop);
  return raced ? { kind: "pull", url: raced.url } : { kind: "up-to-date" };
};
