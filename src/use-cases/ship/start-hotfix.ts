import type { Config } from "../../config/schema.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { renderCommitLink } from "../../domain/ship/commit-link.js";
import { latestReleaseTag } from "../../domain/ship/version-tags.js";
import { HotfixBranchName } from "../../domain/version/hotfix-branch-name.js";
import type { GitData } from "../../ports/git-data.js";
import type { Issues } from "../../ports/issues.js";

export const hotfixBranchMarker = (issue: number) => `<!-- release-pilot:hotfix-branch:${issue} -->`;

/**
 * The `hotfix` label on an issue: `hotfix/<number>-<slug>` from the latest release tag on main,
 * and a comment saying how to go on. The branch ref and the marked comment make it idempotent.
 */
export const startHotfix = async (
  deps: {
    git: Pick<GitData, "webUrl" | "listTags" | "getTagCommit" | "createBranch">;
    issues: Pick<Issues, "findComment" | "postComment">;
  },
  input: { config: Config; issue: { number: number; title: string } },
): Promise<Outcome> => {
  const { git, issues } = deps;
  const { release, ship } = input.config;
  const latest = latestReleaseTag(await git.listTags(release.tagPrefix), release.tagPrefix);
  const marker = hotfixBranchMarker(input.issue.number);
  if (await issues.findComment(input.issue.number, marker)) return outcome("already-done");
  if (!latest) {
    await issues.postComment(
      input.issue.number,
      `${marker}\nNo release tag (\`${release.tagPrefix}X.Y.Z\`) exists yet, so there is nothing to hotfix: ship a release first.`,
    );
    return outcome("not-found", "no release tag");
  }
  const commit = await git.getTagCommit(latest.tag);
  if (!commit) return outcome("not-found", `tag ${latest.tag} points at no commit`);
  const branch = HotfixBranchName.fromIssue(
    input.issue.number,
    input.issue.title,
    release.hotfixBranchPrefix,
  ).toString();
  const created = await git.createBranch(branch, commit);
  const next = latest.version.bump("patch").toString();
  const body = [
    marker,
    `### 🩹 Hotfix branch ready: [\`${branch}\`](${git.webUrl}/tree/${branch})`,
    "",
    `${created === "created" ? "Created" : "Found"} from \`${latest.tag}\` (${renderCommitLink(git.webUrl, commit)}), the latest release on \`${release.mainBranch}\`. Next:`,
    "",
    `1. Push the fix to \`${branch}\` and run the tests.`,
    `2. Open a PR from \`${branch}\` into \`${release.mainBranch}\` (label it \`${ship.hotfix.label}\`).`,
    `3. I add a commit bumping every version file to **${next}** with a CHANGELOG entry from the PR; the release checklist runs on it.`,
    `4. Merging it tags \`${release.tagPrefix}${next}\`, drafts its release and back-merges \`${release.mainBranch}\` into \`${release.developBranch}\`.`,
    "",
  ].join("\n");
  await issues.postComment(input.issue.number, body);
  return outcome("done", `${branch} from ${latest.tag}`);
};
