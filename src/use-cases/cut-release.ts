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
import { releaseFilesWanted } from "../domain/release/release-reads.js";
import { unwalkedWarnings } from "../domain/release/version-file-reach.js";
import { quote } from "../domain/commands/arguments.js";
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
    | "getTagCommit"
    | "getBranchHead"
    | "snapshotTree"
    | "listCommits"
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
  /** `--from <ref>`: where the release's commits start (a branch, tag or SHA; checked by the parser's grammar). */
  from?: string | undefined;
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

/** GitHub's HTTP status of a failed request, if it has one (Octokit's RequestError carries it). */
const statusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;

const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * The commit `--from` names: a branch, else a tag (peeled), else a full or short SHA, which
 * the compare itself checks (GitHub answers 404 for a base it cannot find:
 * https://docs.github.com/en/rest/commits/commits#compare-two-commits). Anything else is unknown.
 */
const resolveFrom = async (
  git: Pick<GitData, "getBranchHead" | "getTagCommit">,
  ref: string,
): Promise<string | undefined> => {
  const branch = await git.getBranchHead(ref);
  if (branch) return branch.sha;
  const tagged = await git.getTagCommit(ref);
  if (tagged) return tagged;
  return SHA.test(ref) ? ref : undefined;
};

const unknownRef = (ref: string) =>
  outcome("not-found", `${quote(ref)} is not a branch, tag or commit of this repository; nothing was cut.`);

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
  // `--from` overrides the tag; with either, one compare lists the commits (paged) up to develop.
  const base = input.from === undefined ? latestTag : await resolveFrom(git, input.from);
  if (input.from !== undefined && base === undefined) return unknownRef(input.from);
  let sinceBase;
  try {
    sinceBase = base ? await git.listCommits({ base, head: release.developBranch }) : undefined;
  } catch (error) {
    const status = statusOf(error);
    if (input.from !== undefined && (status === 404 || status === 422)) return unknownRef(input.from);
    throw error;
  }
  const head = sinceBase?.head ?? (await git.getBranchHead(release.developBranch));
  if (!head) return outcome("not-found", `The branch \`${release.developBranch}\` does not exist.`);
  // No tag: the plan refuses unless this is a first release (commits are never picked by date).
  const { commits } = sinceBase ?? (await git.listCommits({ head: head.sha }));
  // Paths scope generated notes to services: looked up only for note-worthy commits whose scope
  // names no service, newest first and bounded. They are asked with the files, in the same
  // request, before the CHANGELOG says whether generated notes are needed at all.
  const lookups = (paths: readonly string[]) => {
    const projects = resolveProjects(release, paths);
    const needing = commits.filter((c) => noteNeedsPaths(c.message, projects)).slice(-MAX_PATH_LOOKUPS);
    const dirs = projects.map((p) => normalizeDir(p.path)).filter((d) => d !== "");
    return { needing, dirs };
  };
  const touchedAsk = (paths: readonly string[]) => {
    const { needing, dirs } = lookups(paths);
    return needing.length > 0 && dirs.length > 0 ? { shas: needing.map((c) => c.sha), dirs } : undefined;
  };
  // The tree's paths, and only the files the plan reads (never the repository's data files).
  const tree = await git.snapshotTree(head.treeSha, releaseFilesWanted(release), touchedAsk);
  const changelogText = tree.read(release.changelogPath);
  if (changelogText === undefined && tree.list().includes(release.changelogPath))
    return outcome(
      "bad-command",
      `\`${release.changelogPath}\` is too large or not text, so it cannot be edited; nothing was changed.`,
    );
  const changelog = parseChangelog(changelogText ?? "");
  const unreleased = changelog.releases.find((r) => r.name.toLowerCase() === "unreleased");
  const hasNotes =
    unreleased !== undefined && changelog.text.slice(unreleased.headingEnd, unreleased.end).trim() !== "";
  if (!hasNotes && tree.touched)
    for (const commit of lookups(tree.list()).needing)
      commit.files = (tree.touched.get(commit.sha) ?? []).map((d) => `${d}/`);
  const date = deps.clock.now().toISOString().slice(0, 10);
  const planned = buildReleasePlan({
    config: release,
    request: toRequest(input.target, input.pre),
    files: tree,
    latestTag,
    rangeFrom: input.from,
    fromUsage: "`/release --from <ref>`",
    commits,
    date,
    repoUrl: git.webUrl,
  });
  if (!planned.ok) {
    const { code, message } = planned.error;
    return outcome(code === "already-released" ? "already-done" : "bad-command", message);
  }
  const plan = {
    ...planned.value,
    warnings: [...planned.value.warnings, ...unwalkedWarnings(tree.unwalked)],
  };
  if (tags.includes(plan.tag)) return outcome("already-done", `${plan.tag} is already released.`);
  const branchUrl = `${git.webUrl}/tree/${plan.branch}`;
  const tagOf = (branch: string) => `${release.tagPrefix}${branch.slice(release.releaseBranchPrefix.length)}`;
  const other = branches.find((b) => b !== plan.branch && !tags.includes(tagOf(b)));
  if (other) {
    // A refusal the user acts on (merge or delete the other branch), answered as one: 😕.
    return outcome(
      "conflict",
      `Another release is in progress on [\`${other}\`](${git.webUrl}/tree/${other}); merge or delete it first.`,
    );
  }
  // An open PR made by an earlier run: complete what that run left undone (its labels), and give
  // the result that run's reply gave, since that reply may be the step that was lost.
  const inProgress = async (pull: PullRef) => {
    const missing = release.labels.filter((l) => pull.labels !== undefined && !pull.labels.includes(l));
    if (missing.length === 0)
      return outcome(
        "already-done",
        `Release **${plan.tag}** is already in progress, cut by an earlier run: branch ` +
          `[\`${plan.branch}\`](${branchUrl}), PR ${pull.url}. ` +
          `The pre-release checklist runs on the PR; merging it tags ${plan.tag}.`,
      );
    await issues.addLabels(pull.number, missing);
    return outcome(
      "done",
      `Release ${plan.tag} was cut by an earlier run that stopped before labelling its PR; completed it: ${pull.url} is labelled ${missing.map((l) => `\`${l}\``).join(", ")}.`,
    );
  };
  // Another run made the branch between this run's listing and its write (two comments at once,
  // or two instances each given the delivery) and has not opened its PR yet: a final answer with
  // where the release is, since that run's reply comes on its own comment.
  const beingCut = () =>
    outcome(
      "already-done",
      `Release ${plan.tag} is being cut by another run: branch [\`${plan.branch}\`](${branchUrl}); its PR opens from there.`,
    );
  if (branches.includes(plan.branch)) {
    // Made by an earlier run: finish it unless its PR is already open.
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    if (open) return inProgress(open);
  } else if ((await createReleaseBranch(git, head, plan)) === "exists") {
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    return open ? inProgress(open) : beingCut();
  }
  const pull = await pulls.createPull({
    head: plan.branch,
    base: release.mainBranch,
    title: `Release ${plan.tag}`,
    body: renderReleasePrBody(plan, undefined, input.issueNumber, git.webUrl),
  });
  if (pull === "exists") {
    const open = await pulls.findOpenPull(plan.branch, release.mainBranch);
    return open ? inProgress(open) : beingCut();
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
