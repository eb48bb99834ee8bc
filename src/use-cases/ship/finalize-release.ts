import type { Config } from "../../config/schema.js";
import { newestRelease, parseChangelog } from "../../domain/changelog/parse-changelog.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { ShipPull } from "../../domain/ship/recognize-ship-pull.js";
import { shippedMarker, type ShippedLinks } from "../../domain/ship/shipped-comment.js";
import {
  markStepDone,
  markStepFailed,
  parseShipState,
  planShipSteps,
  remainingSteps,
  type ShipStepId,
  shipProgressMarker,
  startShipProgress,
  stepLabel,
  stopShipProgressBefore,
} from "../../domain/ship/ship-progress.js";
import { renderCommitLink } from "../../domain/ship/commit-link.js";
import { renderTagMessage } from "../../domain/ship/tag-message.js";
import { latestReleaseTag, previousReleaseTag } from "../../domain/ship/version-tags.js";
import { parseVersion } from "../../domain/version/version.js";
import type { ModelRegistry } from "../../ports/checklist.js";
import type { GitData } from "../../ports/git-data.js";
import type { Issues } from "../../ports/issues.js";
import { postShippedComment, resolveTrackingIssue, shipFailureOf, tellProgress } from "./announce.js";
import { backMerge } from "./back-merge.js";
import { ensureRelease } from "./ensure-release.js";
import { ensureTag } from "./ensure-tag.js";
import { startImagePublishing } from "./publish-images.js";
import { tagModels } from "./tag-models.js";

/**
 * What shipping calls: the GitHub capabilities each step uses (fields of the GitHubPorts bundle,
 * or the whole bundle), and the model registry.
 */
export type ShipDeps = Parameters<typeof ensureTag>[0] &
  Parameters<typeof ensureRelease>[0] &
  Parameters<typeof startImagePublishing>[0] &
  Parameters<typeof backMerge>[0] &
  Parameters<typeof tellProgress>[0] & {
    git: Pick<GitData, "webUrl" | "listTags" | "readFile">;
    issues: Pick<Issues, "findComment" | "postComment" | "findIssueLinking" | "getIssue" | "closeIssue">;
    /** The MLflow registry, when the config names one. */
    models?: ModelRegistry | undefined;
  };

export interface MergedPull {
  number: number;
  title: string;
  url: string;
  mergeSha: string;
}

const tagConflictMarker = (tag: string) => `<!-- release-pilot:tag-conflict:${tag} -->`;

/** A hotfix PR merged without our bump commit: its version is the CHANGELOG's newest, if new. */
const versionFromChangelog = async (
  git: Pick<GitData, "readFile">,
  config: Config,
  sha: string,
  tags: string[],
) => {
  const newest = newestRelease(parseChangelog((await git.readFile(sha, config.release.changelogPath)) ?? ""));
  const parsed = newest ? parseVersion(newest.name) : undefined;
  const latest = latestReleaseTag(tags, config.release.tagPrefix);
  if (!parsed?.ok || (latest && !parsed.value.greaterThan(latest.version))) return undefined;
  return parsed.value.toString();
};

/** The tracking issue: the PR's marker names it, or (a release PR) the issue that linked the PR. */
const trackingIssue = async (deps: Pick<ShipDeps, "issues">, pull: MergedPull, ship: ShipPull) =>
  resolveTrackingIssue(deps, {
    pull: pull.number,
    issue: ship.issue ?? (ship.kind === "release" ? await deps.issues.findIssueLinking(pull.url) : undefined),
  });

/**
 * Steps 5, 6, 7 and 10 on a merged release, hotfix or revert PR: annotated tag on the merge
 * commit, GitHub release, image publishing, MLflow tags, back-merge into develop, then every link
 * on the PR and the issue (closed). Each step reads before it writes, so a redelivered event or
 * a re-run after a partial failure finishes the job without doing anything twice. The steps and
 * their state are the domain's sequence (domain/ship/ship-progress.ts): a step failing past the
 * retries is told on the PR and the issue with what is done and what remains, and the next run
 * (a redelivery, `/ship`, or the restart) completes the rest.
 */
export const finalizeRelease = async (
  deps: ShipDeps,
  input: { config: Config; pull: MergedPull; ship: ShipPull },
): Promise<Outcome> => {
  const { git, issues } = deps;
  const { config, pull, ship } = input;
  const prefix = config.release.tagPrefix;
  const tags = await git.listTags(prefix);
  const version = ship.version ?? (await versionFromChangelog(git, config, pull.mergeSha, tags));
  if (!version) {
    const marker = "<!-- release-pilot:hotfix-unbumped -->";
    if (!(await issues.findComment(pull.number, marker)))
      await issues.postComment(
        pull.number,
        `${marker}\nThis hotfix PR was merged without a version bump, so I did not tag it. Bump the patch version and add a CHANGELOG entry in a follow-up hotfix PR.`,
      );
    return outcome("bad-command", "hotfix merged without a version bump");
  }
  const tag = `${prefix}${version}`;
  const parsed = parseVersion(version);
  const previousVersion =
    ship.previousVersion ??
    (parsed.ok ? previousReleaseTag(tags, prefix, parsed.value)?.version.toString() : undefined);
  const reverts = ship.kind === "revert" ? ship.reverts : undefined;
  const reverted = reverts === undefined ? undefined : parseVersion(reverts);
  const restores = reverted?.ok
    ? (previousReleaseTag(tags, prefix, reverted.value)?.version.toString() ?? "?")
    : undefined;
  const message =
    ship.kind === "release"
      ? renderTagMessage({ kind: "release", version })
      : ship.kind === "hotfix"
        ? renderTagMessage({ kind: "hotfix", version, title: pull.title })
        : renderTagMessage({ kind: "revert", version, restores: restores ?? "?" });

  // The tracking issue is read first: a failure is told there too. A failure reading it is told
  // on the PR (nothing done, every step remaining) and the delivery answered 2xx, as for a step.
  let issue: Awaited<ReturnType<typeof trackingIssue>>;
  try {
    issue = await trackingIssue(deps, pull, ship);
  } catch (error) {
    const failure = shipFailureOf(error);
    let stopped = stopShipProgressBefore(
      startShipProgress(tag, planShipSteps({ models: config.ship.models.length > 0, issue: true })),
      { reading: "tracking issue", ...failure },
    );
    // What an earlier run left on the PR: its shipped comment (every step done: nothing to tell),
    // or a progress comment whose recorded steps stay done.
    const [shipped, told] = await Promise.all([
      issues.findComment(pull.number, shippedMarker(tag)).catch(() => undefined),
      issues.findComment(pull.number, shipProgressMarker(tag)).catch(() => undefined),
    ]);
    for (const id of parseShipState(told?.body)?.done ?? []) stopped = markStepDone(stopped, id);
    if (!shipped) await tellProgress(deps, { pull: pull.number, progress: stopped, onlyExisting: false });
    return outcome(
      "failed",
      `${tag} stopped before its first step: reading the tracking issue failed: ${failure.message} Remaining: ${remainingSteps(stopped).join(", ")}.`,
    );
  }
  let progress = startShipProgress(
    tag,
    planShipSteps({ models: config.ship.models.length > 0, issue: issue !== undefined }),
  );
  let current: ShipStepId = "tag";
  const done = (id: ShipStepId, note?: string) => {
    progress = markStepDone(progress, id, note);
  };
  try {
    const tagged = await ensureTag(deps, { tag, message, commit: pull.mergeSha });
    if (tagged.kind === "elsewhere") {
      const text =
        `${tagConflictMarker(tag)}\n⛔ The tag \`${tag}\` already exists on commit ${renderCommitLink(git.webUrl, tagged.commit)}, ` +
        `not on this merge commit ${renderCommitLink(git.webUrl, pull.mergeSha)}. I never move a tag: nothing was released. ` +
        `Delete or rename the wrong tag and redeliver this event, or release under another version.`;
      const existing = await issues.findComment(pull.number, tagConflictMarker(tag));
      if (!existing) await issues.postComment(pull.number, text);
      return outcome("conflict", `tag ${tag} exists on ${tagged.commit}`);
    }
    done("tag");

    current = "release";
    const { release } = await ensureRelease(deps, {
      config,
      tag,
      version,
      previousVersion,
      commit: pull.mergeSha,
      lead: restores ? `Rollback to v${restores} state (reverts v${reverts ?? "?"}).` : undefined,
    });
    done("release", release.draft ? "draft" : undefined);

    current = "images";
    const images = await startImagePublishing(deps, { config, tag, version, commit: pull.mergeSha, release });
    done("images", images && "problem" in images ? images.problem : undefined);

    current = "models";
    const models = await tagModels(deps.models, { models: config.ship.models, version });
    if (config.ship.models.length > 0) done("models", models.problems.join(" ") || undefined);

    current = "back-merge";
    const merged = await backMerge(deps, { config, tag });
    done("back-merge");

    const problems = [...models.problems, ...(images && "problem" in images ? [images.problem] : [])];
    const links: ShippedLinks = {
      kind: ship.kind,
      tag,
      tagUrl: `${git.webUrl}/releases/tag/${tag}`,
      repoUrl: git.webUrl,
      release: { url: release.url, draft: release.draft },
      images: images && !("problem" in images) ? images : undefined,
      backMerge: merged,
      models: models.tagged,
      problems,
    };
    // The PR's comment comes last: once it is there, every step before it is done.
    if (issue !== undefined) {
      current = "issue-comment";
      await postShippedComment(deps, { issue: issue.number, links });
      done("issue-comment");
      current = "close-issue";
      if (issue.state === "open") await issues.closeIssue(issue.number);
      done("close-issue");
    }
    current = "pull-comment";
    await postShippedComment(deps, { issue: pull.number, links });
    done("pull-comment");
    // A progress comment left by a failed run is edited to say the shipment completed.
    await tellProgress(deps, { pull: pull.number, issue: issue?.number, progress, onlyExisting: true });
    return outcome(
      tagged.kind === "created" ? "done" : "already-done",
      `${tag} shipped${problems.length ? ` with ${problems.length} problem(s)` : ""}`,
    );
  } catch (error) {
    const failure = shipFailureOf(error);
    progress = markStepFailed(progress, current, failure);
    // Told on the PR and the issue (one comment each, edited in place); the delivery is then
    // answered 2xx: GitHub does not redeliver a failed delivery by itself
    // (https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries).
    await tellProgress(deps, { pull: pull.number, issue: issue?.number, progress, onlyExisting: false });
    return outcome(
      "failed",
      `${tag} stopped at the ${stepLabel(current)}: ${failure.message} Remaining: ${remainingSteps(progress).join(", ")}.`,
    );
  }
};
