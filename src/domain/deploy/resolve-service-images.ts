/**
 * Which image each service of an environment runs for a version: the service's own image
 * repository, else its project's, tagged with the version as the publishing workflow tags it.
 */
import { fail, ok, type Result } from "../result.js";
import type { ServiceSettings } from "./deploy-settings.js";

export interface ProjectImage {
  name: string;
  image?: string | undefined;
}

export interface ServiceImage {
  name: string;
  deployment: string;
  container: string;
  image: string;
}

/**
 * An OCI tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests).
 * SemVer build metadata (`1.2.0+build.1`) cannot be one: `+` is not allowed.
 */
const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Why `version` cannot tag an image, or undefined when it can. */
export function imageTagProblem(version: string): string | undefined {
  if (OCI_TAG.test(version)) return undefined;
  const plus = version.indexOf("+");
  if (plus > 0 && OCI_TAG.test(version.slice(0, plus)))
    return `**${version}** cannot be an image tag: OCI tags cannot hold \`+\`, so a version with build metadata has no image; deploy \`${version.slice(0, plus)}\` (build metadata does not change the version)`;
  return `**${version.slice(0, 140)}** cannot be an image tag: OCI tags are letters, digits, \`_\`, \`.\` and \`-\`, at most 128, not starting with \`.\` or \`-\``;
}

export function resolveServiceImages(
  services: readonly ServiceSettings[],
  projects: readonly ProjectImage[],
  version: string,
): Result<ServiceImage[]> {
  const problem = imageTagProblem(version);
  if (problem) return fail(problem);
  const resolved: ServiceImage[] = [];
  for (const service of services) {
    const repository = service.image ?? projects.find((p) => p.name === service.name)?.image;
    if (!repository)
      return fail(
        `service \`${service.name}\` has no image: set \`image\` on it or on the project of that name`,
      );
    resolved.push({
      name: service.name,
      deployment: service.deployment,
      container: service.container,
      image: `${repository}:${version}`,
    });
  }
  return ok(resolved);
}

/** The version an image reference carries (`repo:1.2.0` → `1.2.0`), if tagged. */
export const versionOfImage = (image: string | undefined): string | undefined => {
  if (!image) return undefined;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : undefined;
};
