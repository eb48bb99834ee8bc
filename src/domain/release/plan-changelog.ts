import { detectChangelogStyle } from "../changelog/changelog-style.js";
import { linkBase, updateCompareLinks, versionUrl } from "../changelog/compare-links.js";
import { generateNotes } from "../changelog/generate-notes.js";
import { blocksOf, newestRelease, parseChangelog, type Changelog } from "../changelog/parse-changelog.js";
import { readUnreleased } from "../changelog/read-unreleased.js";
import { isChangelogError, NEW_CHANGELOG, releaseUnreleased } from "../changelog/release-unreleased.js";
import type { Project } from "../manifests/project.js";
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
 * Commits since the previous release. With no tag, those after the newest CHANGELOG release's
 * date (commits of that same day are taken to be in it); with neither, all of them.
 */
export const commitsSincePrevious = (
  changelog: Changelog,
  commits: readonly PlanCommit[],
  hasTag: boolean,
): { commits: PlanCommit[]; warning?: string } => {
  if (hasTag) return { commits: [...commits] };
  const newest = newestRelease(changelog);
  if (newest?.date === undefined) {
    return {
      commits: [...commits],
      warning: "No release tag and no dated CHANGELOG release: notes use every commit.",
    };
  }
  const after = commits.filter((c) => c.date.slice(0, 10) > newest.date!);
  return {
    commits: after,
    warning: `No release tag marks the previous release: using the ${after.length} commit(s) after ${newest.date}, the date of CHANGELOG release ${newest.name}.`,
  };
};

/** Every list entry of the releases already in the file (generated notes never repeat one). */
const listedEntries = (changelog: Changelog): string[] =>
  changelog.releases
    .filter((r) => r.name !== "Unreleased")
    .flatMap((r) => blocksOf(changelog, r).flatMap((b) => b.items ?? []));

/** The CHANGELOG edit: Unreleased (or generated notes) → the new release, in the file's style; links updated. */
export const planChangelog = (input: ChangelogPlanInput): ChangelogPlan | ReleasePlanError => {
  const warnings: string[] = [];
  if (input.text === undefined) warnings.push(`${input.path} not found: it will be created.`);
  const before = input.text ?? "";
  const changelog = parseChangelog(before === "" ? NEW_CHANGELOG : before);
  const reading = readUnreleased(changelog);
  let notes: string | undefined;
  if (reading === undefined || reading.notes === "") {
    notes = generateNotes(input.commits, input.projects, input.pullTitles, listedEntries(changelog)).markdown;
    if (notes === "") {
      warnings.push("No user-facing changes found in Unreleased or in the commits (feat/fix/perf/…).");
      notes = "### Changed\n\n- No user-facing changes.\n";
    }
  }
  const base = linkBase(changelog.text, input.repoUrl);
  const style = detectChangelogStyle(changelog);
  const headingUrl =
    base === undefined
      ? undefined
      : versionUrl(
          base,
          { version: input.version, previousVersion: input.previousVersion, tagPrefix: input.tagPrefix },
          style.linkKind,
        );
  const edit = releaseUnreleased(changelog, input.version, input.date, notes, headingUrl);
  if (isChangelogError(edit)) return releasePlanError(edit.code, edit.message);
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
  return { before, after: linked.text, section: edit.section, notesFrom, warnings };
};
