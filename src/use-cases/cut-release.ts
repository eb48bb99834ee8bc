import type { Config } from "../config/schema.js";
import type { ReleaseTarget } from "../domain/commands/command.js";
import { noteNeedsPaths } from "../domain/changelog/generate-notes.js";
import { parseChangelog } from "../domain/changelog/parse-changelog.js";
import { normalizeDir } from "../domain/manifests/project.js";
import { resolveProjects } from "../domain/release/plan-version-files.js";
import { type Outcome, outcome } from "../domain/outcome.js";
import { buildReleasePlan } from "../domain/release/build-release-plan.js";
import type { ReleasePlan, ReleaseRequest } from "../domain/release/release-plan.js";
import { renderReleasePrBody } from "../domain/release/release-pr-body.js";
import { parseVersion, type Version } from "../domain/version/version.js";
import type { Clock } from "../ports/clock.js";
import type { CommitRef, GitData } from "../ports/git-data.js";
import type { Issues } from "../ports/issues.js";
import type { PullRef, Pulls } from "../ports/pulls.js";

/** Reads, then one commit, one ref, one PR and its labels. */
export interface CutReleaseDeps {
  git: Pick<
    GitData,
    | "webUrl"
    | "listTags"
    | "listBranches"
    | "getBranchHead"
    | "readTree"
    | "listCommits"
    | "dirsTouched"
    | "createCommit"
    | "createBranch"
  >;
  pulls: Pick<Pulls, "findOpenPull" | "createPull">;
  issues: Pick<Issues, "addLabels">;
  clock: Clock;
}

export interface CutReleaseInput {
  config: Config;
  target: ReleaseTarget;
  pre?: string | undefined;
  actor: string;
  issueNumber: number;
}

const MAX_PATH_LOOKUPS = 100;

const toRequest = (target: ReleaseTarget, pre: string | undefined): ReleaseRequest =>
  target.kind === "exact" ? target : { ...target, pre };

/** The newest tag that is a version, by SemVer order (not by name or date). */
const latestVersionTag = (tags: string[], prefix: string): string | undefined => {
  let best: { tag: string; version: Version } | undefined;
  for (const tag of tags) {
    const parsed = parseVersion(tag.slice(prefix.length));
    if (!parsed.ok) continue;
    const version = parsed.value;
    if (!best || version.compare(best.version) > 0) best = { tag, version };
  }
  return best?.tag;
};

const summary = (plan: ReleasePlan, pull: PullRef, branchUrl: string): string => {
  const warnings = plan.warnings.length ? `\n\n⚠️ ${plan.warnings.map((w) => w).join("\n⚠️ ")}` : "";
  return (
    `Release **${plan.tag}** is cut: branch [\`${plan.branch}\`](${branchUrl}), PR ${pull.url} ` +
    `(${plan.files.length} files changed, starting from ${plan.startsFrom}). ` +
    `The pre-release checklist runs on the PR; merging it tags ${plan.tag}.${warnings}`
  );
};

/**
 * `/release`: plan the release on develop's tree, then write it as one commit on a new
 * `release/vX.Y.Z` branch and open the PR to main. The branch ref is the lock: of two racing
 * runs one creates it, the other answers that the release is in progress. A run that stopped
 * after the branch was made is completed (the PR opened) by the next `/release` of that version.
 */
export const cutRelease = async (deps: CutReleaseDeps, input: CutReleaseInput): Promise<Outcome> => {
  const { git, pulls, issues } = deps;
  const release = input.config.release;
  const [tags, branches] = await Promise.all([
    git.listTags(release.tagPrefix),
    git.listBranches(release.releaseBranchPrefix),
  ]);
  const latestTag = latestVersionTag(tags, release.tagPrefix);
  // With a tag, one compare lists the commits and names develop's head (and its tree).
  const sinceTag = latestTag
    ? await git.listCommits({ base: latestTag, head: release.developBranch })
    : undefined;
  const head = sinceTag?.head ?? (await git.getBranchHead(release.developBranch));
  if (!head) return outcome("not-found", `The branch \`${release.developBranch}\` does not exist.`);
  const tree = await git.readTree(head.sha);
  const changelog = parseChangelog(tree.read(release.changelogPath) ?? "");
  const unreleased = changelog.releases.find((r) => r.name.toLowerCase() === "unreleased");
  const hasNotes =
    unreleased !== undefined && changelog.text.slice(unreleased.headingEnd, unreleased.end).trim() !== "";
  // No tag: the plan refuses unless this is a first release (commits are never picked by date).
  const { commits } = sinceTag ?? (await git.listCommits({ head: head.sha }));
  if (!hasNotes) {
    // Paths scope generated notes to services: looked up only for note-worthy commits whose
    // scope names no service, newest first and bounded, in one request for all of them.
    const projects = resolveProjects(release, tree.list());
    const needing = commits.filter((c) => noteNeedsPaths(c.message, projects)).slice(-MAX_PATH_LOOKUPS);
    const dirs = projects.map((p) => normalizeDir(p.path)).filter((d) => d !== "");
    if (needing.length > 0 && dirs.length > 0) {
      const touched = await git.dirsTouched(
        needing.map((c) => c.sha),
        dirs,
      );
      for (const commit of needing) commit.files = (touched.get(commit.sha) ?? []).map((d) => `${d}/`);
    }
  }
  const date = deps.clock.now().toISOString().slice(0, 10);
  const planned = buildReleasePlan({
    config: release,
    request: toRequest(input.target, input.pre),
    files: tree,
    latestTag,
    commits,
    date,
    repoUrl: git.webUrl,
  });
  if (!planned.ok) {
    const { code, message } = planned.error;
    return outcome(code === "already-released" ? "already-done" : "bad-command", message);
  }
  const plan = planned.value;
  if (tags.includes(plan.tag)) return outcome("already-done", `${plan.tag} is already released.`);
  const branchUrl = `${git.webUrl}/tree/${plan.branch}`;
  const tagOf = (branch: string) => `${release.tagPrefix}${branch.slice(release.releaseBranchPrefix.length)}`;
  const other = branches.find((b) => b !== plan.branch && !tags.includes(tagOf(b)));
  if (other) {
    return outcome(
      "in-progress",
      `Another release is in progress on [\`${other}\`](${git.webUrl}/tree/${other}); merge or delete it first.`,
    );
  }
  // An open PR made by an earlier run: complete what that run left undone (its labels), else say so.
  const inProgress = async (pull: PullRef) => {
    const missing = release.labels.filter((l) => pull.labels !== undefined && !pull.labels.includes(l));
    if (missing.length === 0)
      return outcome("already-done", `Release ${plan.tag} is already in progress: ${pull.url}`);
    await issues.addLabels(pull.number, missing);
    return outcome(
      "done",
      `Release ${plan.tag} was cut by an earlier run that stopped before labelling its PR; completed it: ${pull.url} is labelled ${missing.map((l) => `\`${l}\``).join(", ")}.`,
    );
  };
  if (branches.includes(plan.branch)) {
    // Made by an earlier run: finish it unless its PR is already open.
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    if (open) return inProgress(open);
  } else if ((await createReleaseBranch(git, head, plan)) === "exists") {
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    return open
      ? inProgress(open)
      : outcome("in-progress", `Release ${plan.tag} is being cut by another run.`);
  }
  const pull = await pulls.createPull({
    head: plan.branch,
    base: release.mainBranch,
    title: `Release ${plan.tag}`,
    body: renderReleasePrBody(plan, undefined, input.issueNumber),
  });
  if (pull === "exists") {
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    return open
      ? inProgress(open)
      : outcome("in-progress", `Release ${plan.tag} is being cut by another run.`);
  }
  // Labelled after it opens (the Pulls API takes no labels); a failure here is completed by the next run.
  if (release.labels.length > 0) await issues.addLabels(pull.number, release.labels);
  return outcome("done", summary(plan, pull, branchUrl));
};

const createReleaseBranch = async (
  git: Pick<GitData, "createCommit" | "createBranch">,
  head: CommitRef,
  plan: ReleasePlan,
) => {
  const files = new Map(plan.files.map((f) => [f.path, f.after]));
  const sha = await git.createCommit(head, `chore(release): ${plan.version}`, files);
  return git.createBranch(plan.branch, sha);
};
