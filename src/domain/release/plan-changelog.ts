import { detectChangelogStyle } from "../changelog/changelog-style.js";
import { linkBase, updateCompareLinks, versionUrl } from "../changelog/compare-links.js";
import type { DependencyUpdatesStyle } from "../changelog/dependency-updates.js";
import { generateNotes } from "../changelog/generate-notes.js";
import { blocksOf, newestRelease, parseChangelog, type Changelog } from "../changelog/parse-changelog.js";
import { readUnreleased } from "../changelog/read-unreleased.js";
import { NEW_CHANGELOG, releaseUnreleased } from "../changelog/release-unreleased.js";
import type { Project } from "../manifests/project.js";
import { fail, ok, type Result } from "../result.js";
import { releasePlanError, type PlanCommit, type ReleasePlanError } from "./release-plan.js";

export interface ChangelogPlanInput {
  path: string;
  /** Current text; undefined when the file does not exist yet. */
  text: string | undefined;
  version: string;
  previousVersion: string | undefined;
  date: string;
  /** Commits since the previous release (see `commitsSincePrevious`), for generated notes. */
  commits: readonly PlanCommit[];
  pullTitles: readonly string[];
  projects: readonly Project[];
  tagPrefix: string;
  repoUrl: string | undefined;
  /** How dependency-bot updates appear in generated notes. */
  dependencyUpdates?: DependencyUpdatesStyle | undefined;
}

export interface ChangelogPlan {
  before: string;
  after: string;
  section: string;
  /** Where the notes came from and why (Unreleased entries, or the commits). */
  notesFrom: string;
  warnings: string[];
}

/**
 * Commits since the previous release: the caller's range (from the newest release tag, or a
 * `--from` ref). Commits are never picked by date (a date says nothing of what a release held):
 * with no range and a release in the CHANGELOG, the plan is refused; a first release takes all.
 */
export const commitsSincePrevious = (
  changelog: Changelog,
  commits: readonly PlanCommit[],
  hasRange: boolean,
  tagPrefix = "v",
  fromUsage = "`--from <ref>`",
): Result<{ commits: PlanCommit[]; warning?: string }, ReleasePlanError> => {
  if (hasRange) return ok({ commits: [...commits] });
  const newest = newestRelease(changelog);
  if (newest !== undefined) {
    return fail(
      releasePlanError(
        "no-range",
        `No \`${tagPrefix}*\` tag marks the previous release (the CHANGELOG's newest is ${newest.name}), and commits are never picked by date: tag it, or say where the release starts (${fromUsage}).`,
      ),
    );
  }
  return ok({
    commits: [...commits],
    warning: "No release tag and no CHANGELOG release: a first release, notes use every commit.",
  });
};

/** Every list entry of the releases already in the file (generated notes never repeat one). */
const listedEntries = (changelog: Changelog): string[] =>
  changelog.releases
    .filter((r) => r.name !== "Unreleased")
    .flatMap((r) => blocksOf(changelog, r).flatMap((b) => b.items ?? []));

/** The CHANGELOG edit: Unreleased (or generated notes) → the new release, in the file's style; links updated. */
export const planChangelog = (input: ChangelogPlanInput): Result<ChangelogPlan, ReleasePlanError> => {
  const warnings: string[] = [];
  if (input.text === undefined) warnings.push(`${input.path} not found: it will be created.`);
  const before = input.text ?? "";
  const changelog = parseChangelog(before === "" ? NEW_CHANGELOG : before);
  const reading = readUnreleased(changelog);
  let notes: string | undefined;
  if (reading === undefined || reading.notes === "") {
    notes = generateNotes(
      input.commits,
      input.projects,
      input.pullTitles,
      listedEntries(changelog),
      input.dependencyUpdates,
    ).markdown;
    if (notes === "") {
      warnings.push("No user-facing changes found in Unreleased or in the commits (feat/fix/perf/…).");
      notes = "### Changed\n\n- No user-facing changes.\n";
    }
  }
  const base = linkBase(changelog.text, input.repoUrl);
  if (!input.repoUrl && base !== undefined)
    warnings.push(
      `No repository URL known (no \`origin\` remote): ${input.path} links follow its existing ones at ${base}; check they are this repository's.`,
    );
  const style = detectChangelogStyle(changelog);
  const headingUrl =
    base === undefined
      ? undefined
      : versionUrl(
          base,
          { version: input.version, previousVersion: input.previousVersion, tagPrefix: input.tagPrefix },
          style.linkKind,
        );
  const released = releaseUnreleased(changelog, input.version, input.date, notes, headingUrl);
  if (!released.ok) return fail(releasePlanError(released.error.code, released.error.message));
  const edit = released.value;
  const notesFrom =
    edit.source.from === "unreleased"
      ? `${input.path} Unreleased (${edit.source.reason})`
      : `${input.commits.length} commit(s) (${edit.source.reason})`;
  if (edit.source.from === "commits" && reading !== undefined)
    warnings.push(`${edit.source.reason}: notes generated from ${input.commits.length} commit(s).`);
  const linked = updateCompareLinks(edit.text, {
    version: input.version,
    previousVersion: input.previousVersion,
    tagPrefix: input.tagPrefix,
    repoUrl: input.repoUrl,
    created: before === "",
  });
  if (linked.warning) warnings.push(linked.warning);
  return ok({ before, after: linked.text, section: edit.section, notesFrom, warnings });
};
