import type { Config } from "../../config/schema.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { buildReleasePlan } from "../../domain/release/build-release-plan.js";
import type { TreeSnapshot } from "../../domain/release/release-plan.js";
import { type FilesWanted, releaseFilesWanted } from "../../domain/release/release-reads.js";
import { unwalkedWarnings } from "../../domain/release/version-file-reach.js";
import { REVERT_BRANCH_PREFIX } from "../../domain/ship/recognize-ship-pull.js";
import { buildRevertPlan, overlayTree } from "../../domain/ship/revert-plan.js";
import { renderShipMarker } from "../../domain/ship/ship-marker.js";
import { latestReleaseTag, previousReleaseTag } from "../../domain/ship/version-tags.js";
import { parseVersion } from "../../domain/version/version.js";
import type { Clock } from "../../ports/clock.js";
import type { FileAt, GitData } from "../../ports/git-data.js";
import type { Pulls } from "../../ports/pulls.js";

export interface RevertReleaseDeps {
  git: Pick<
    GitData,
    | "webUrl"
    | "listTags"
    | "getBranchHead"
    | "compare"
    | "readFilesAt"
    | "snapshotTree"
    | "createCommit"
    | "createBranch"
  >;
  pulls: Pick<Pulls, "findOpenPull" | "createPull">;
  clock: Clock;
}

/**
 * The paths a release changed since the previous one: the comparison's files (and the former
 * paths of renamed ones), both ways from the merge base when the previous release is not an
 * ancestor of this one, so every path whose content differs between the two is named.
 */
const changedPaths = async (
  git: Pick<GitData, "compare">,
  from: string,
  to: string,
): Promise<{ paths: string[]; capped: boolean }> => {
  const ahead = await git.compare(from, to);
  const back = (ahead.behindBy ?? 0) > 0 ? await git.compare(to, from) : undefined;
  const paths = new Set<string>();
  for (const c of back ? [ahead, back] : [ahead])
    for (const p of [...c.files, ...(c.renamedFrom ?? [])]) paths.add(p);
  return { paths: [...paths].sort(), capped: ahead.filesCapped === true || back?.filesCapped === true };
};

/** The readable texts of some paths at one ref, as a tree of only those files. */
const textsOf = (files: ReadonlyMap<string, FileAt | undefined>, paths: readonly string[]): TreeSnapshot => {
  const texts = new Map(
    paths.flatMap((p) => {
      const t = files.get(p)?.text;
      return t === undefined ? [] : [[p, t] as const];
    }),
  );
  return { list: () => [...texts.keys()], read: (path) => texts.get(path) };
};

/** A warning over the paths it names, as lines of the PR body (none when no path is named). */
const pathsLeft = (lead: string, paths: readonly string[]): string[] =>
  paths.length ? ["", lead, "", ...paths.map((p) => `- \`${p}\``)] : [];

/**
 * `/revert v1.2.0`, the guide's full rollback: a PR on main with one commit putting back every
 * file the release changed (as the previous release had it), version files bumped to the next
 * patch and a CHANGELOG entry "Rollback to v1.1.0 state". Merged, it ships like a hotfix.
 */
export const revertRelease = async (
  deps: RevertReleaseDeps,
  input: { config: Config; version: string; issueNumber: number },
): Promise<Outcome> => {
  const { git, pulls } = deps;
  const { release } = input.config;
  const prefix = release.tagPrefix;
  const parsed = parseVersion(input.version);
  if (!parsed.ok) return outcome("bad-command", parsed.error.reason);
  const version = parsed.value;
  const tag = `${prefix}${version.toString()}`;
  const tags = await git.listTags(prefix);
  if (!tags.includes(tag)) return outcome("not-found", `There is no tag \`${tag}\` to revert.`);
  const previous = previousReleaseTag(tags, prefix, version);
  // An earlier final release means a latest one: both are read from the same tags.
  const latest = latestReleaseTag(tags, prefix);
  if (!previous || !latest)
    return outcome(
      "bad-command",
      `\`${tag}\` is the first release: there is no earlier state to roll back to.`,
    );
  const next = latest.version.bump("patch").toString();
  const branch = `${REVERT_BRANCH_PREFIX}${tag}`;
  const open = await pulls.findOpenPull(branch, release.mainBranch);
  if (open) return outcome("already-done", `The rollback of ${tag} is already open: ${open.url}`);
  const main = await git.getBranchHead(release.mainBranch);
  if (!main) return outcome("not-found", `The branch \`${release.mainBranch}\` does not exist.`);
  // Only the files the release changed are read, at both tags and on main: never the
  // repository's other files, whatever their size.
  // Tag names as the other comparisons of releases give them (ensure-release.ts).
  const changed = await changedPaths(git, previous.tag, tag);
  const none = new Map<string, FileAt | undefined>();
  const [atPrevious = none, atTag = none, atMain = none] = changed.paths.length
    ? await git.readFilesAt([`refs/tags/${previous.tag}`, `refs/tags/${tag}`, main.sha], changed.paths)
    : [];
  const unreadable = (files: ReadonlyMap<string, FileAt | undefined>, path: string) =>
    files.get(path) !== undefined && files.get(path)?.text === undefined;
  // A binary or oversized file the release changed cannot be put back as text: a person does it.
  const byHand = changed.paths.filter(
    (p) =>
      p !== release.changelogPath &&
      atPrevious.get(p)?.oid !== atTag.get(p)?.oid &&
      (unreadable(atPrevious, p) || unreadable(atTag, p)),
  );
  // One main holds as a file it cannot read has changed since the release (the release's is text).
  const changedOnMain = changed.paths.filter(
    (p) => !byHand.includes(p) && unreadable(atMain, p) && atMain.get(p)?.oid !== atTag.get(p)?.oid,
  );
  const readable = changed.paths.filter((p) => !byHand.includes(p) && !changedOnMain.includes(p));
  const revert = buildRevertPlan({
    previous: textsOf(atPrevious, readable),
    released: textsOf(atTag, readable),
    main: textsOf(atMain, readable),
    keep: [release.changelogPath],
  });
  const cappedLine = changed.capped
    ? `GitHub lists at most 300 changed files of a comparison and ${tag} changed at least that many: files past them are not reverted; compare ${previous.tag}...${tag} and revert the rest by hand.`
    : undefined;
  if (revert.edits.size === 0)
    return outcome(
      "already-done",
      revert.withheld.length || byHand.length
        ? [
            revert.withheld.length
              ? `Nothing I may revert: ${tag} changed only workflow files (${revert.withheld.map((p) => `\`${p}\``).join(", ")}), which GitHub lets an App write only with the \`workflows\` permission release-pilot does not ask for. Revert them by hand.`
              : `Nothing I may revert.`,
            ...(byHand.length
              ? [
                  `Binary or too large to put back as text, revert by hand: ${byHand.map((p) => `\`${p}\``).join(", ")}.`,
                ]
              : []),
            ...(cappedLine ? [cappedLine] : []),
          ].join(" ")
        : `Nothing to revert: main already has ${previous.tag}'s version of every file ${tag} changed.${cappedLine ? ` ${cappedLine}` : ""}`,
    );
  // Main's paths where version files can be, and only the files the plan reads on main with the
  // reverted files laid over it (found as `/release` finds them).
  const planFiles = releaseFilesWanted(release);
  const wanted: FilesWanted = {
    reach: planFiles.reach,
    pick: (paths, read) => {
      const overlaid = overlayTree({ list: () => [...paths], read }, revert.edits);
      return planFiles.pick(overlaid.list(), overlaid.read).filter((p) => !revert.edits.has(p));
    },
  };
  const current = await git.snapshotTree(main.treeSha, wanted);
  const lead = `Rollback to ${previous.tag} state`;
  const planned = buildReleasePlan({
    config: release,
    request: { kind: "exact", version: next },
    files: overlayTree(current, revert.edits),
    // The reverted files carry the previous release's version: they follow the release all the same.
    alsoFollowing: [previous.version],
    latestTag: latest.tag,
    commits: [
      {
        sha: main.sha,
        message: `revert: ${lead} (reverts ${tag})`,
        files: [],
        date: deps.clock.now().toISOString(),
      },
    ],
    date: deps.clock.now().toISOString().slice(0, 10),
    repoUrl: git.webUrl,
  });
  if (!planned.ok) return outcome("bad-command", `I could not plan the rollback: ${planned.error.message}`);
  const plan = planned.value;
  const files = new Map<string, string | null>(revert.edits);
  for (const f of plan.files) files.set(f.path, f.after);
  // Version files are rewritten to the new version whatever they held: no conflict there.
  const conflicts = [...revert.conflicts, ...changedOnMain]
    .filter((p) => !plan.files.some((f) => f.path === p))
    .sort();
  const notReverted = byHand.filter((p) => !plan.files.some((f) => f.path === p));
  const warnings = [...unwalkedWarnings(current.unwalked), ...(cappedLine ? [cappedLine] : [])];
  const sha = await git.createCommit(main, `Revert "Release ${tag}"\n\n${lead}; ships as ${next}.`, files);
  await git.createBranch(branch, sha); // "exists": an earlier run stopped before its PR
  const conflictLines = pathsLeft(
    "⚠️ Changed on main since the release, so left as main has them (revert by hand if needed):",
    conflicts,
  );
  const withheldLines = pathsLeft(
    "⚠️ Workflow files the release changed, left as main has them: GitHub lets an App write " +
      "`.github/workflows/` only with the `workflows` permission, which release-pilot does not ask for. " +
      "Revert them by hand in this PR if needed:",
    revert.withheld,
  );
  const byHandLines = pathsLeft(
    "⚠️ Binary or too large to put back as text, left as main has them (revert by hand if needed):",
    notReverted,
  );
  const warningLines = warnings.flatMap((w) => ["", `⚠️ ${w}`]);
  const body = [
    renderShipMarker({
      kind: "revert",
      version: next,
      previousVersion: latest.version.toString(),
      reverts: version.toString(),
      issue: input.issueNumber,
    }),
    `## ⏪ Rollback of ${tag}`,
    "",
    `${lead}: ${revert.edits.size} file(s) go back to what ${previous.tag} had, and every version file moves to **${next}**.`,
    `Merging this PR tags \`${prefix}${next}\` ("${lead}"), drafts its release and back-merges into \`${release.developBranch}\`.`,
    ...conflictLines,
    ...withheldLines,
    ...byHandLines,
    ...warningLines,
    "",
    "### 📋 Release notes preview",
    "",
    plan.changelog.section,
    "",
  ].join("\n");
  const pull = await pulls.createPull({
    head: branch,
    base: release.mainBranch,
    title: `Rollback ${tag} (ships ${next})`,
    body,
  });
  if (pull === "exists") {
    const raced = await pulls.findOpenPull(branch, release.mainBranch);
    return outcome("already-done", `The rollback of ${tag} is already open${raced ? `: ${raced.url}` : "."}`);
  }
  return outcome(
    "done",
    [
      `Opened ${pull.url}: rollback of ${tag} to the ${previous.tag} state, shipping as ${prefix}${next} once merged.`,
      ...warnings.map((w) => `⚠️ ${w}`),
    ].join("\n\n"),
  );
};
