import type { Version } from "../version/version.js";
import type { ReleaseSettings } from "./release-settings.js";
import type { BumpKind } from "../version/version.js";

/** What `/release` asked for. */
export type ReleaseRequest =
  | { kind: "exact"; version: string }
  | { kind: "bump"; bump: BumpKind; pre?: string | undefined }
  | { kind: "auto"; pre?: string | undefined };

/** A read-only snapshot of the tree being released (the develop branch, or a local checkout). */
export interface TreeSnapshot {
  list(): string[];
  read(path: string): string | undefined;
}

export interface PlanCommit {
  sha: string;
  message: string;
  files: string[];
  /** ISO 8601 commit date. */
  date: string;
}

export interface ReleasePlanInput {
  /** The `release` settings (the config's `release` section). */
  config: ReleaseSettings;
  request: ReleaseRequest;
  files: TreeSnapshot;
  /** The newest release tag (e.g. `v1.1.0`), absent when the repository has none. */
  latestTag?: string | undefined;
  /** The ref the commits start from when no tag does (`--from`), if given. */
  rangeFrom?: string | undefined;
  /** How the caller's user says `--from` (`/release --from <ref>` in a comment), for the refusal without a range. */
  fromUsage?: string | undefined;
  /** Commits since the previous release (since `latestTag` or `rangeFrom`; all commits for a first release). */
  commits: readonly PlanCommit[];
  mergedPullTitles?: readonly string[] | undefined;
  /** Release date, `YYYY-MM-DD`. */
  date: string;
  /** `https://github.com/owner/repo`, for CHANGELOG compare links. */
  repoUrl?: string | undefined;
  /**
   * Versions that also mark a file as following the release, besides the ones the repository
   * releases now: a revert restores files to the previous release's version before bumping them.
   */
  alsoFollowing?: readonly Version[] | undefined;
}

export interface VersionSource {
  /** `tag v1.1.0`, `CHANGELOG.md`, or a version file path. */
  source: string;
  version: string;
}

export interface FileChange {
  path: string;
  /** "" for a file the plan creates. */
  before: string;
  after: string;
  /** The version the file carried before (absent for the CHANGELOG). */
  fromVersion?: string;
}

export interface ReleasePlan {
  kind: "release-plan";
  version: string;
  /** The version the bump starts from; undefined for a first release. */
  previousVersion: string | undefined;
  tag: string;
  branch: string;
  /** The bump applied (for `auto`, the one derived from the commits); undefined for an exact version. */
  bump: BumpKind | undefined;
  versionSources: VersionSource[];
  /** Which source the bump starts from (`tag v1.1.0`, `CHANGELOG.md`, …, or `none`). */
  startsFrom: string;
  projects: { name: string; path: string }[];
  files: FileChange[];
  /** The notes, and where they came from and why (`CHANGELOG.md Unreleased (…)`, or `N commit(s), because …`). */
  changelog: { path: string; section: string; notesFrom: string };
  warnings: string[];
  /** Files found but not edited, with why (no version in them, already at the version, unreadable). */
  skipped: { path: string; reason: string }[];
}

export type ReleasePlanErrorCode =
  | "bad-version"
  | "not-greater"
  | "prerelease-not-allowed"
  | "already-released"
  | "nothing-to-release"
  | "no-range";

export interface ReleasePlanError {
  kind: "release-plan-error";
  code: ReleasePlanErrorCode;
  message: string;
}

export const releasePlanError = (code: ReleasePlanErrorCode, message: string): ReleasePlanError => ({
  kind: "release-plan-error",
  code,
  message,
});
