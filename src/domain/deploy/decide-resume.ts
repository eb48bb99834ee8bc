/**
 * Whether an interrupted deploy found on start may be driven again: only when what its record
 * says it patches is still what the default branch's config deploys to that environment. A
 * record is data written at the time of the deploy; the config may have changed since (or the
 * record may lie), and a restart must never patch a namespace, Deployment or image repository
 * the config does not name today.
 */
import type { EnvironmentTargetSettings } from "./deploy-settings.js";
import type { DeployPayload } from "./deploy-payload.js";
import { type ProjectImage, resolveServiceImages } from "./resolve-service-images.js";

export type ResumeDecision = { kind: "resume" } | { kind: "refuse"; reason: string };

const repositoryOf = (image: string): string => {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  const at = image.indexOf("@");
  const end = at >= 0 ? at : colon > slash ? colon : image.length;
  return image.slice(0, end);
};

export function decideResume(
  payload: DeployPayload,
  env: string,
  envConfig: EnvironmentTargetSettings,
  projects: readonly ProjectImage[],
): ResumeDecision {
  const refuse = (reason: string): ResumeDecision => ({ kind: "refuse", reason });
  if (payload.driver)
    return refuse(`it names a workflow driver, but \`${env}\` is deployed through its cluster`);
  if (payload.cluster !== envConfig.cluster)
    return refuse(
      `it names the cluster \`${payload.cluster}\`; the config says \`${envConfig.cluster ?? "none"}\``,
    );
  if (payload.namespace !== envConfig.namespace)
    return refuse(
      `it names the namespace \`${payload.namespace}\`; the config says \`${envConfig.namespace}\``,
    );
  const configured = envConfig.services ?? [];
  // By Deployment and container (a rollback's record names its services by Deployment).
  for (const s of payload.services) {
    const service = configured.find((c) => c.deployment === s.deployment);
    if (!service) return refuse(`its Deployment \`${s.deployment}\` is not one of \`${env}\`'s services`);
    if (service.container !== s.container)
      return refuse(
        `its Deployment \`${s.deployment}\` names the container \`${s.container}\`; the config says \`${service.container}\``,
      );
    const resolved = resolveServiceImages([service], projects, "0");
    const image = resolved.ok ? resolved.value[0]?.image : undefined;
    const repository = image === undefined ? undefined : repositoryOf(image);
    for (const candidate of [s.image, s.previousImage])
      if (candidate !== undefined && repository !== undefined && repositoryOf(candidate) !== repository)
        return refuse(
          `its Deployment \`${s.deployment}\` would run \`${candidate}\`, not an image of \`${repository}\``,
        );
  }
  return { kind: "resume" };
}
