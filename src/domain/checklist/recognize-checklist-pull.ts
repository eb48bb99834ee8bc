import type { ReleaseSettings } from "../release/release-settings.js";
import { parseReleasePrBody } from "../release/release-pr-body.js";
import { parseShipMarker } from "../ship/ship-marker.js";
import { parseReleaseBranchName } from "../version/release-branch-name.js";

/** What the checklist needs to know of a PR to decide whether it runs on it. */
export interface ChecklistPullFacts {
  head: string;
  base: string;
  body: string | null | undefined;
  labels: readonly string[];
}

/**
 * The cheap first look, with default names and no config: a PR that might be a release or
 * hotfix PR. Everything else is dropped before any API call.
 */
export const mightNeedChecklist = (pull: ChecklistPullFacts): boolean =>
  /^(release|hotfix)\//.test(pull.head) ||
  (pull.body ?? "").includes("<!-- release-pilot") ||
  pull.labels.some((label) => /hotfix|release/i.test(label));

/**
 * The version a release or hotfix PR into main ships (and the one it follows, when known), from the PR body's marker or the release
 * branch's name; undefined for any other PR, and for a hotfix PR before its bump commit.
 */
export const checklistVersionOf = (
  pull: ChecklistPullFacts,
  release: ReleaseSettings,
): { version: string; previousVersion?: string | undefined } | undefined => {
  if (pull.base !== release.mainBranch) return undefined;
  const body = pull.body ?? "";
  const state = parseReleasePrBody(body);
  if (state.ok) return state.value;
  const marker = parseShipMarker(body);
  if (marker) return { version: marker.version, previousVersion: marker.previousVersion };
  const branch = parseReleaseBranchName(pull.head, release.releaseBranchPrefix);
  return branch.ok ? { version: branch.value.version.toString() } : undefined;
};
