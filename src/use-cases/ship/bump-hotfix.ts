import type { Config } from "../../config/schema.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { buildReleasePlan } from "../../domain/release/build-release-plan.js";
import type { ReleasePlan } from "../../domain/release/release-plan.js";
import { releaseFilesWanted } from "../../domain/release/release-reads.js";
import { unwalkedWarnings } from "../../domain/release/version-file-reach.js";
import { renderUserText } from "../../domain/user-text.js";
import { parseShipMarker, withShipMarker } from "../../domain/ship/ship-marker.js";
import { renderCommitLink } from "../../domain/ship/commit-link.js";
import { latestReleaseTag } from "../../domain/ship/version-tags.js";
import { parseConventionalCommit } from "../../domain/version/conventional-commit.js";
import { parseHotfixBranchName } from "../../domain/version/hotfix-branch-name.js";
import type { Clock } from "../../ports/clock.js";
import type { GitData } from "../../ports/git-data.js";
import type { Issues } from "../../ports/issues.js";
import type { Pulls } from "../../ports/pulls.js";

export interface HotfixPull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  headSha: string;
  labels: readonly string[];
}

const hotfixBumpMarker = (version: string) => `<!-- release-pilot:hotfix-bump:${version} -->`;

/** The PR title as a conventional commit, so the generated CHANGELOG entry files it under Fixed. */
const noteCommit = (pull: HotfixPull) => {
  const parsed = parseConventionalCommit(pull.title);
  const noted = parsed.type !== undefined && ["fix", "feat", "perf", "revert"].includes(parsed.type);
  return `${noted ? pull.title : `fix: ${parsed.subject}`} (#${pull.number})`;
};

/**
 * The version files of the plan, counted as the Version consistency gate counts them: both come
 * from `releaseVersionFiles` (edited ones, and those the plan left alone with a reason).
 */
const versionFileCount = (plan: ReleasePlan): string => {
  const edited = plan.files.filter((f) => f.path !== plan.changelog.path).length;
  const total = edited + plan.skipped.length;
  const files = `${total} version file${total === 1 ? "" : "s"}`;
  if (plan.skipped.length === 0) return files;
  // Paths are the branch author's: shown as inert code, ten at most.
  const named = plan.skipped.slice(0, 10).map((s) => renderUserText(s.path));
  const more = plan.skipped.length > 10 ? ` and ${plan.skipped.length - 10} more` : "";
  return `${files} (${plan.skipped.length} not edited: ${named.join(", ")}${more})`;
};

/**
 * A hotfix PR into main gets one commit with the patch bump in every version file and a
 * CHANGELOG entry from the PR, then a marker in its body with the version it ships. A PR that
 * already carries the marker (or whose CHANGELOG already has the version) is left alone.
 */
export const bumpHotfix = async (
  deps: {
    git: Pick<
      GitData,
      "webUrl" | "listTags" | "getBranchHead" | "snapshotTree" | "createCommit" | "advanceBranch"
    >;
    pulls: Pick<Pulls, "updatePullBody">;
    issues: Pick<Issues, "addLabels" | "postComment">;
    clock: Clock;
  },
  input: { config: Config; pull: HotfixPull },
): Promise<Outcome> => {
  const { git, pulls, issues } = deps;
  const { config, pull } = input;
  const { release } = config;
  if (parseShipMarker(pull.body)?.kind === "hotfix") return outcome("already-done");
  const latest = latestReleaseTag(await git.listTags(release.tagPrefix), release.tagPrefix);
  const head = await git.getBranchHead(pull.head);
  if (!head || head.sha !== pull.headSha)
    return outcome("in-progress", "the branch moved; the next push event bumps it");
  // The branch's paths where version files can be, and only the files the plan reads, found as
  // `/release` finds them: never the repository's data files.
  const tree = await git.snapshotTree(head.treeSha, releaseFilesWanted(release));
  const planned = buildReleasePlan({
    config: release,
    // The next patch of the latest release tag, exactly: a version file already bumped by hand must
    // not push the hotfix one patch further.
    request: latest
      ? { kind: "exact", version: latest.version.bump("patch").toString() }
      : { kind: "bump", bump: "patch" },
    files: tree,
    latestTag: latest?.tag,
    commits: [{ sha: head.sha, message: noteCommit(pull), files: [], date: deps.clock.now().toISOString() }],
    date: deps.clock.now().toISOString().slice(0, 10),
    repoUrl: git.webUrl,
  });
  const fromBranch = parseHotfixBranchName(pull.head, release.hotfixBranchPrefix);
  const issue = fromBranch.ok ? fromBranch.value.issue : undefined;
  const previous = latest?.version.toString();
  const markBody = (version: string) =>
    pulls.updatePullBody(
      pull.number,
      withShipMarker(pull.body, {
        kind: "hotfix",
        version,
        ...(previous ? { previousVersion: previous } : {}),
        ...(issue ? { issue } : {}),
      }),
    );
  if (!planned.ok) {
    const { code, message } = planned.error;
    if ((code === "already-released" || code === "not-greater") && latest) {
      // Bumped by hand (or by an earlier run that stopped before the marker).
      await markBody(latest.version.bump("patch").toString());
      return outcome("already-done");
    }
    await issues.postComment(pull.number, `I could not bump this hotfix: ${message}`);
    return outcome("bad-command", message);
  }
  const plan = planned.value;
  const files = new Map(plan.files.map((f) => [f.path, f.after]));
  const sha = await git.createCommit(head, `chore(hotfix): ${plan.version}`, files);
  if ((await git.advanceBranch(pull.head, sha)) === "moved")
    return outcome("in-progress", "the branch moved while bumping; the next push event bumps it");
  await markBody(plan.version);
  if (!pull.labels.some((l) => l.toLowerCase() === config.ship.hotfix.label.toLowerCase()))
    await issues.addLabels(pull.number, [config.ship.hotfix.label]);
  await issues.postComment(
    pull.number,
    [
      hotfixBumpMarker(plan.version),
      `### 🩹 Hotfix ${plan.tag}`,
      "",
      `Pushed ${renderCommitLink(git.webUrl, sha)}: ${plan.previousVersion ?? "?"} → **${plan.version}** in ${versionFileCount(plan)}, and a CHANGELOG entry:`,
      "",
      plan.changelog.section,
      "",
      ...unwalkedWarnings(tree.unwalked).flatMap((w) => [`⚠️ ${w}`, ""]),
      `The release checklist runs on this PR. Merging it tags \`${plan.tag}\`, drafts its release and back-merges into \`${release.developBranch}\`.`,
      "",
    ].join("\n"),
  );
  return outcome("done", `bumped to ${plan.version}`);
};
