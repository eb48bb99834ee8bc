import { newestRelease, parseChangelog } from "../changelog/parse-changelog.js";
import { ReleaseBranchName } from "../version/release-branch-name.js";
import { TagName } from "../version/tag-name.js";
import { parseVersion } from "../version/version.js";
import { ok, type Result } from "../result.js";
import { commitsSincePrevious, planChangelog } from "./plan-changelog.js";
import {
  planVersionFiles,
  readVersionSources,
  releaseVersionFiles,
  selectLockstep,
} from "./plan-version-files.js";
import { planLockFiles } from "../manifests/lock-files.js";
import { unreleasedVersionFiles } from "../manifests/find-version-files.js";
import {
  type ReleasePlan,
  type ReleasePlanError,
  type ReleasePlanInput,
  type VersionSource,
} from "./release-plan.js";
import { resolveCurrentVersion, resolveTargetVersion, tagVersion } from "./resolve-version.js";

/**
 * The whole release as data: the new version, every version-file edit, the CHANGELOG edit and
 * what was noticed on the way. Pure: the GitHub use-case and the CLI both apply it.
 */
export const buildReleasePlan = (input: ReleasePlanInput): Result<ReleasePlan, ReleasePlanError> => {
  const { config, files: tree } = input;
  const warnings: string[] = [];
  const paths = tree.list();
  const { projects, ...versionFiles } = releaseVersionFiles(config, paths, (p) => tree.read(p));
  warnings.push(...versionFiles.warnings);

  // Every place that states the current version, in the order they are trusted.
  const sources: VersionSource[] = [];
  const tag = tagVersion(input.latestTag, config.tagPrefix);
  if (tag.warning) warnings.push(tag.warning);
  const tagSource = tag.version ? `tag ${input.latestTag}` : undefined;
  if (tag.version && tagSource !== undefined)
    sources.push({ source: tagSource, version: tag.version.toString() });
  const changelogText = tree.read(config.changelogPath);
  const parsedChangelog = parseChangelog(changelogText ?? "");
  const newest = newestRelease(parsedChangelog);
  if (newest && parseVersion(newest.name).ok) {
    sources.push({ source: config.changelogPath, version: newest.name });
  }
  // Files carrying the release's current version follow it; the others are versioned on their own.
  const released = sources.flatMap((s) => {
    const v = parseVersion(s.version);
    return v.ok ? [v.value] : [];
  });
  const releaseCurrent = [...released].sort((a, b) => b.compare(a))[0];
  const { lockstep, independent } = selectLockstep(versionFiles.files, tree, [
    ...released,
    ...(input.alsoFollowing ?? []),
  ]);
  const lockstepSources = readVersionSources(lockstep, tree);
  if (lockstepSources.length === 0 && independent.length > 0 && releaseCurrent !== undefined)
    warnings.push(
      `No version file carries the release's current version ${releaseCurrent.toString()}, so none is edited; list the ones that follow releases in versionFiles.`,
    );
  sources.push(...lockstepSources);
  const current = resolveCurrentVersion(sources, tagSource, config.changelogPath);
  const sourceIsRelease = (source: string) => source === tagSource || source === config.changelogPath;
  warnings.push(...current.warnings);

  // The same commits decide the bump and feed the notes.
  const range = commitsSincePrevious(
    parsedChangelog,
    input.commits,
    tag.version !== undefined || input.rangeFrom !== undefined,
    config.tagPrefix,
    input.fromUsage,
  );
  if (!range.ok) return range;
  const since = range.value;
  if (since.warning) warnings.push(since.warning);
  const resolved = resolveTargetVersion(input.request, current.base, since.commits, config, current.sources);
  if (!resolved.ok) return resolved;
  const target = resolved.value;
  const version = target.version.toString();
  const previousVersion = current.base?.toString();

  const plannedChangelog = planChangelog({
    path: config.changelogPath,
    text: changelogText,
    version,
    // A compare link needs a previous tag; a version read from a file may never have been tagged.
    previousVersion: sourceIsRelease(current.startsFrom) ? previousVersion : undefined,
    date: input.date,
    commits: since.commits,
    pullTitles: input.mergedPullTitles ?? [],
    projects,
    tagPrefix: config.tagPrefix,
    repoUrl: input.repoUrl,
    dependencyUpdates: config.changelog.dependencyUpdates,
  });
  if (!plannedChangelog.ok) return plannedChangelog;
  const changelog = plannedChangelog.value;
  warnings.push(...changelog.warnings);

  const edits = planVersionFiles(lockstep, tree, version, { chartVersion: config.chartVersion });
  warnings.push(...edits.warnings);
  // Lock files keep the repository's own packages at the version their manifests now carry.
  const locks = planLockFiles(edits.changes, paths, (p) => tree.read(p));
  const known = new Set([...versionFiles.files.map((f) => f.path), config.changelogPath]);
  return ok({
    kind: "release-plan",
    version,
    previousVersion,
    tag: new TagName(target.version, config.tagPrefix).toString(),
    branch: new ReleaseBranchName(target.version, config.releaseBranchPrefix).toString(),
    bump: target.bump,
    versionSources: sources,
    startsFrom: current.startsFrom,
    projects: projects.map((p) => ({ name: p.name, path: p.path })),
    files: [
      ...edits.changes,
      ...locks,
      { path: config.changelogPath, before: changelog.before, after: changelog.after },
    ],
    changelog: { path: config.changelogPath, section: changelog.section, notesFrom: changelog.notesFrom },
    warnings,
    skipped: [...independent, ...edits.skipped, ...unreleasedVersionFiles(paths, known)],
  });
};
