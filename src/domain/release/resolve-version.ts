import type { ReleaseSettings } from "./release-settings.js";
import { fail, ok, type Result } from "../result.js";
import { decideBump } from "../version/decide-bump.js";
import { parseTagName } from "../version/tag-name.js";
import { parseVersion, Version, type BumpKind } from "../version/version.js";
import {
  releasePlanError,
  type ReleasePlanError,
  type ReleaseRequest,
  type VersionSource,
} from "./release-plan.js";

export interface CurrentVersion {
  /** The version the bump starts from, if any source has one. */
  base: Version | undefined;
  startsFrom: string;
  warnings: string[];
  /** Every source with a version, for refusing a target that is not above all of them. */
  sources: (VersionSource & { parsed: Version })[];
}

/**
 * Chooses where the bump starts: the latest release tag, else the newest CHANGELOG release,
 * else the highest version found in the version files. Disagreeing sources are reported.
 */
export const resolveCurrentVersion = (
  sources: readonly VersionSource[],
  tagSource: string | undefined,
  changelogSource: string,
): CurrentVersion => {
  const warnings: string[] = [];
  const parsed = sources.flatMap((s) => {
    const v = parseVersion(s.version);
    return v.ok ? [{ ...s, parsed: v.value }] : [];
  });
  // Never backwards: the bump starts from the highest version the repository already carries
  // (a stale reachable tag, a file or the CHANGELOG may be ahead); on a tie, the tag is named.
  const rank = (source: string) => (source === tagSource ? 0 : source === changelogSource ? 1 : 2);
  const pick = [...parsed].sort((a, b) => b.parsed.compare(a.parsed) || rank(a.source) - rank(b.source))[0];
  const distinct = new Set(parsed.map((s) => s.parsed.toString()));
  if (distinct.size > 1 && pick) {
    const list = parsed.map((s) => `${s.source} says ${s.version}`).join(", ");
    warnings.push(
      `Version sources disagree (${list}); the bump starts from ${pick.source} (${pick.version}).`,
    );
  }
  if (!pick)
    warnings.push(
      "No previous version found (no tag, CHANGELOG release or version file): this is a first release.",
    );
  return { base: pick?.parsed, startsFrom: pick?.source ?? "none", warnings, sources: parsed };
};

/** The version of the latest tag, or a warning when the tag is not `<prefix>X.Y.Z`. */
export const tagVersion = (
  tag: string | undefined,
  prefix: string,
): { version?: Version; warning?: string } => {
  if (tag === undefined) return {};
  const parsed = parseTagName(tag, prefix);
  return parsed.ok
    ? { version: parsed.value.version }
    : { warning: `Latest tag "${tag}" ignored: ${parsed.error.reason}.` };
};

const ZERO = Version.fromValid("0.0.0");

/** The version to release, checked: strict SemVer, allowed pre-release id, greater than the base. */
export const resolveTargetVersion = (
  request: ReleaseRequest,
  base: Version | undefined,
  commits: readonly { message: string }[],
  config: Pick<ReleaseSettings, "prerelease">,
  sources: readonly (VersionSource & { parsed: Version })[] = [],
): Result<{ version: Version; bump: BumpKind | undefined }, ReleasePlanError> => {
  const allowed = config.prerelease;
  const pre = request.kind === "exact" ? undefined : request.pre;
  if (pre !== undefined && !allowed.includes(pre)) {
    return fail(
      releasePlanError(
        "prerelease-not-allowed",
        `Pre-release "${pre}" is not allowed (allowed: ${allowed.join(", ")}).`,
      ),
    );
  }
  let version: Version;
  let bump: BumpKind | undefined;
  if (request.kind === "exact") {
    const result = parseVersion(request.version);
    if (!result.ok) return fail(releasePlanError("bad-version", `${result.error.reason}.`));
    const parsed = result.value;
    if (parsed.preId !== undefined && !allowed.includes(parsed.preId)) {
      return fail(
        releasePlanError(
          "prerelease-not-allowed",
          `Pre-release "${parsed.preId}" is not allowed (allowed: ${allowed.join(", ")}).`,
        ),
      );
    }
    version = parsed;
  } else {
    bump = request.kind === "bump" ? request.bump : decideBump(commits);
    version = (base ?? ZERO).bump(bump, pre);
  }
  if (base && !version.greaterThan(base)) {
    const above = sources.filter((s) => !version.greaterThan(s.parsed));
    const list = above.length > 0 ? ` (${above.map((s) => `${s.source}: ${s.version}`).join(", ")})` : "";
    return fail(
      releasePlanError(
        "not-greater",
        `${version.toString()} is not greater than the latest release ${base.toString()}${list}.`,
      ),
    );
  }
  return ok({ version, bump });
};
