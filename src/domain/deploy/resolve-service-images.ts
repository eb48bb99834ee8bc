/**
 * Which image each service of an environment runs for a version: the service's own image
 * repository, else its project's, tagged with the version as the publishing workflow tags it.
 */
import type { EnvironmentService } from "../../config/sections/environments.js";

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

export type ResolvedImages = { kind: "ok"; services: ServiceImage[] } | { kind: "error"; message: string };

export function resolveServiceImages(
  services: readonly EnvironmentService[],
  projects: readonly ProjectImage[],
  version: string,
): ResolvedImages {
  const resolved: ServiceImage[] = [];
  for (const service of services) {
    const repository = service.image ?? projects.find((p) => p.name === service.name)?.image;
    if (!repository)
      return {
        kind: "error",
        message: `service \`${service.name}\` has no image: set \`image\` on it or on the project of that name`,
      };
    resolved.push({
      name: service.name,
      deployment: service.deployment,
      container: service.container,
      image: `${repository}:${version}`,
    });
  }
  return { kind: "ok", services: resolved };
}

/** The version an image reference carries (`repo:1.2.0` → `1.2.0`), if tagged. */
export const versionOfImage = (image: string | undefined): string | undefined => {
  if (!image) return undefined;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : undefined;
};
