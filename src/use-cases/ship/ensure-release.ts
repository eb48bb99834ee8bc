import type { Config } from "../../config/schema.js";
import { buildReleaseBody } from "../../domain/ship/release-body.js";
import { parseVersion } from "../../domain/version/version.js";
import type { GitData } from "../../ports/git-data.js";
import type { ReleaseRecord, Releases } from "../../ports/releases.js";

export interface EnsureReleaseInput {
  config: Config;
  tag: string;
  version: string;
  previousVersion?: string | undefined;
  commit: string;
  /** A line put first in the notes (the rollback's "Rollback to v1.1.0 state"). */
  lead?: string | undefined;
}

/** The services' image repositories, from the release config. */
export const serviceImages = (config: Config): { service: string; image: string }[] =>
  (config.release.projects ?? []).flatMap((p) => (p.image ? [{ service: p.name, image: p.image }] : []));

/**
 * The GitHub release of a tag, made once: an existing one (draft or not) is kept as it is.
 * Its body is the CHANGELOG section at the merge commit through the notes template.
 */
export const ensureRelease = async (
  deps: {
    git: Pick<GitData, "webUrl" | "readFile" | "compare">;
    releases: Pick<Releases, "findRelease" | "createRelease">;
  },
  input: EnsureReleaseInput,
): Promise<{ release: ReleaseRecord; created: boolean }> => {
  const { git, releases } = deps;
  const existing = await releases.findRelease(input.tag);
  if (existing) return { release: existing, created: false };
  const { release: rc, ship } = input.config;
  const [changelog, range] = await Promise.all([
    git.readFile(input.commit, rc.changelogPath),
    input.previousVersion
      ? git.compare(`${rc.tagPrefix}${input.previousVersion}`, input.commit)
      : Promise.resolve(undefined),
  ]);
  const body = buildReleaseBody({
    version: input.version,
    previousVersion: input.previousVersion,
    tagPrefix: rc.tagPrefix,
    repoUrl: git.webUrl,
    changelog: changelog ?? "",
    images: serviceImages(input.config),
    contributors: range?.authors ?? [],
    template: rc.changelog.template,
    lead: input.lead,
    changelogUrl: `${git.webUrl}/blob/${input.tag}/${rc.changelogPath}`,
  });
  const version = parseVersion(input.version);
  const release = await releases.createRelease({
    tag: input.tag,
    target: input.commit,
    name: `Release ${input.tag}`,
    body,
    draft: ship.release.draft,
    prerelease: version.ok && version.value.isPrerelease,
  });
  return { release, created: true };
};
