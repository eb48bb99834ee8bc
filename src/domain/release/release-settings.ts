import type { DependencyUpdatesStyle } from "../changelog/dependency-updates.js";
import type { Project } from "../manifests/project.js";
import type { ChartVersionRule } from "../manifests/version-file-updater.js";

/**
 * The release settings the domain reads (branch names, tag prefix, CHANGELOG path, version files,
 * pre-release identifiers). The config schema is their one source: `src/config/sections/
 * release-section.ts` proves at compile time that what it parses gives all of this.
 */
export interface ReleaseSettings {
  /** Branch releases are merged into and tagged on. */
  readonly mainBranch: string;
  readonly releaseBranchPrefix: string;
  readonly hotfixBranchPrefix: string;
  readonly tagPrefix: string;
  readonly changelogPath: string;
  /** Extra version-file globs from the repo root. */
  readonly versionFiles: readonly string[];
  /** Services released together; absent: discovered in the tree. */
  readonly projects?: readonly Project[] | undefined;
  /** How a Helm chart's own `version` moves when its `appVersion` follows the release. */
  readonly chartVersion: ChartVersionRule;
  /** Generated notes: how dependency-update commits appear. */
  readonly changelog: { readonly dependencyUpdates: DependencyUpdatesStyle };
  /** Pre-release identifiers allowed (`rc`, `beta`, …). */
  readonly prerelease: readonly string[];
}
