/**
 * A promoted canary recorded as a GitHub Deployment of the promoted version (by hand or after
 * analysis). GitHub's Deployments API (https://docs.github.com/en/rest/deployments/deployments#create-a-deployment)
 * answers 409/422 when it will not create one (the adapter's `refused`); other errors past the
 * client's retries are thrown.
 */
import type { Invocation, Target } from "./deploy-deps.js";
import type { DeployDeps } from "./deploy-deps.js";

export interface PromotedService {
  service: string;
  container: string;
  image: string | undefined;
}

const statusOptions = (call: Invocation, target: Target) => ({
  ...(target.env.url ? { environmentUrl: target.env.url } : {}),
  logUrl: call.issueUrl,
});

export async function recordPromotion(
  deps: Pick<DeployDeps, "records" | "tags">,
  call: Invocation,
  target: Target,
  services: readonly PromotedService[],
  version: string,
  ok: boolean,
  description = `promote canary ${version} on ${target.name}`,
): Promise<string | undefined> {
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
  if (created.kind === "refused") return created.message;
  await deps.records.setStatus(created.id, ok ? "success" : "failure", statusOptions(call, target));
  return undefined;
}

/** A GitHub error as a reply says it: the status GitHub answered (Octokit's RequestError carries it). */
export const describeGitHubError = (e: unknown): string => {
  const status = typeof e === "object" && e !== null && "status" in e ? e.status : undefined;
  return typeof status === "number"
    ? `GitHub answered ${status}`
    : e instanceof Error
      ? e.message
      : String(e);
};

/**
 * A promotion the cluster shows done (every stable service runs the canary's image, the canary at
 * 0) whose record GitHub refused earlier: recorded now, once. When the environment's newest
 * record is of `version`, it is recorded (by the promotion or by a `/deploy`); left without a
 * status (its status refused), it gets its `success`. Returns what was done, or undefined when
 * nothing was missing.
 */
export async function unrecordedPromotion(
  deps: Pick<DeployDeps, "records" | "tags">,
  call: Invocation,
  target: Target,
  services: readonly PromotedService[],
  version: string,
): Promise<string | undefined> {
  const [newest] = await deps.records.list({ environment: target.name, limit: 1 });
  const existing = newest?.payload?.version === version ? newest : undefined;
  if (existing) {
    if (existing.state !== undefined) return undefined;
    await deps.records.setStatus(existing.id, "success", statusOptions(call, target));
    return `set the \`success\` status GitHub refused earlier on deployment ${existing.id}`;
  }
  const refused = await recordPromotion(deps, call, target, services, version, true);
  if (refused !== undefined) throw new Error(`GitHub refused the deployment: ${refused}`);
  return "recorded it as a GitHub Deployment, which GitHub refused earlier";
}
