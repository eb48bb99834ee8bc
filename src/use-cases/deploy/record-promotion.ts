/** A promoted canary recorded as a GitHub Deployment of the promoted version (by hand or after analysis). */
import type { Invocation, Target } from "./deploy-deps.js";
import type { DeployDeps } from "./deploy-deps.js";

export interface PromotedService {
  service: string;
  container: string;
  image: string | undefined;
}

export async function recordPromotion(
  deps: Pick<DeployDeps, "records" | "tags">,
  call: Invocation,
  target: Target,
  services: readonly PromotedService[],
  version: string,
  ok: boolean,
  description = `promote canary ${version} on ${target.name}`,
): Promise<void> {
  const created = await deps.records.create({
    environment: target.name,
    ref: (await deps.tags.tagOf(version)) ?? call.config.release.mainBranch,
    task: "deploy",
    description,
    payload: {
      app: "release-pilot",
      action: "deploy",
      version,
      cluster: target.env.cluster,
      namespace: target.env.namespace,
      services: services.map((p) => ({
        name: p.service,
        deployment: p.service,
        container: p.container,
        image: p.image ?? "",
      })),
      issue: call.issue,
      actor: call.actor,
    },
    production: target.name === "production",
    requireGreen: false,
  });
  if (created.kind === "created")
    await deps.records.setStatus(created.id, ok ? "success" : "failure", {
      ...(target.env.url ? { environmentUrl: target.env.url } : {}),
      logUrl: call.issueUrl,
    });
}
