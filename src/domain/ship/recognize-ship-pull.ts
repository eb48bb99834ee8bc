import type { ReleaseSettings } from "../release/release-settings.js";
import { parseHotfixBranchName } from "../version/hotfix-branch-name.js";
import { parseReleaseBranchName } from "../version/release-branch-name.js";
import { parseShipMarker, type ShipMarker } from "./ship-marker.js";

/** The parts of a pull request payload the recognisers read (no API call needed). */
export interface PullFacts {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  labels: readonly string[];
  merged: boolean;
  /** Whether the head branch lives in this repository (not a fork). */
  sameRepo: boolean;
}

/** A merged PR that ships, with what is known of it before any API call. */
export type ShipPull =
  | { kind: "release"; version: string; previousVersion?: string | undefined; issue?: number | undefined }
  | {
      kind: "hotfix";
      version?: string | undefined;
      previousVersion?: string | undefined;
      issue?: number | undefined;
    }
  | {
      kind: "revert";
      version: string;
      previousVersion?: string | undefined;
      issue?: number | undefined;
      reverts?: string | undefined;
    };

export const REVERT_BRANCH_PREFIX = "revert/";

const hasLabel = (pull: PullFacts, label: string) =>
  pull.labels.some((l) => l.toLowerCase() === label.toLowerCase());

/**
 * The cheap first look at a closed PR, with default names: anything that could ship passes
 * (a marker, a release/hotfix/revert branch, a label); everything else is dropped before the
 * config is even read.
 */
export const mightShip = (pull: PullFacts): boolean =>
  pull.merged &&
  (parseShipMarker(pull.body) !== undefined ||
    /^(release|hotfix|revert)\//.test(pull.head) ||
    pull.labels.length > 0);

/** Whether an open or merged PR into main is a hotfix PR (label, or a `hotfix/…` branch). */
export const isHotfixPull = (pull: PullFacts, release: ReleaseSettings, label: string): boolean =>
  pull.base === release.mainBranch &&
  (hasLabel(pull, label) || pull.head.startsWith(release.hotfixBranchPrefix));

/** Recognises a release, hotfix or revert PR into main; undefined for any other PR. */
export const recognizeShipPull = (
  pull: PullFacts,
  release: ReleaseSettings,
  hotfixLabel: string,
): ShipPull | undefined => {
  if (pull.base !== release.mainBranch) return undefined;
  const marker: ShipMarker | undefined = parseShipMarker(pull.body);
  const common = (m: ShipMarker | undefined) => ({
    ...(m?.previousVersion ? { previousVersion: m.previousVersion } : {}),
    ...(m?.issue ? { issue: m.issue } : {}),
  });
  if (marker?.kind === "revert" || pull.head.startsWith(REVERT_BRANCH_PREFIX)) {
    if (!marker || marker.kind !== "revert") return undefined; // a revert branch we did not open
    return { kind: "revert", version: marker.version, reverts: marker.reverts, ...common(marker) };
  }
  if (marker?.kind === "hotfix" || (marker === undefined && isHotfixPull(pull, release, hotfixLabel))) {
    const fromBranch = parseHotfixBranchName(pull.head, release.hotfixBranchPrefix);
    const issue = marker?.issue ?? (fromBranch.ok ? fromBranch.value.issue : undefined);
    return {
      kind: "hotfix",
      ...(marker ? { version: marker.version } : {}),
      ...common(marker),
      ...(issue ? { issue } : {}),
    };
  }
  const branch = parseReleaseBranchName(pull.head, release.releaseBranchPrefix);
  if (marker?.kind === "release") return { kind: "release", version: marker.version, ...common(marker) };
  if (branch.ok) return { kind: "release", version: branch.value.version.toString() };
  return undefined;
};
