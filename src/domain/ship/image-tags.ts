import { parseVersion } from "../version/version.js";

/**
 * The tags the publishing workflow pushes for a version, as docker/metadata-action's semver
 * patterns do: `1.2.0`, `1.2`, `1`, `latest`; a pre-release gets only its own tag.
 */
export const imageTags = (version: string): string[] => {
  const result = parseVersion(version);
  if (!result.ok) return [];
  const parsed = result.value;
  if (parsed.isPrerelease) return [parsed.toString()];
  return [parsed.toString(), `${parsed.major}.${parsed.minor}`, `${parsed.major}`, "latest"];
};

/** Every `image:tag` reference of every service image for a version. */
export const imageRefs = (images: readonly string[], version: string): string[] =>
  images.flatMap((image) => imageTags(version).map((tag) => `${image}:${tag}`));
