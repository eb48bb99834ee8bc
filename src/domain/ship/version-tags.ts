import { parseVersion, type Version } from "../version/version.js";

interface Tagged {
  tag: string;
  version: Version;
}

const versionsOf = (tags: readonly string[], prefix: string): Tagged[] =>
  tags.flatMap((tag) => {
    if (!tag.startsWith(prefix)) return [];
    const version = parseVersion(tag.slice(prefix.length));
    return version.ok ? [{ tag, version: version.value }] : [];
  });

/** The newest final release tag by SemVer order (pre-releases do not count as shipped). */
export const latestReleaseTag = (tags: readonly string[], prefix: string): Tagged | undefined =>
  versionsOf(tags, prefix)
    .filter((t) => !t.version.isPrerelease)
    .sort((a, b) => b.version.compare(a.version))[0];

/** The newest final release tag older than `version`. */
export const previousReleaseTag = (
  tags: readonly string[],
  prefix: string,
  version: Version,
): Tagged | undefined =>
  versionsOf(tags, prefix)
    .filter((t) => !t.version.isPrerelease && version.greaterThan(t.version))
    .sort((a, b) => b.version.compare(a.version))[0];
