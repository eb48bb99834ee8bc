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

/** What a promotion the cluster shows done lacks on GitHub: nothing, its record, or its status. */
export type MissingRecord = { kind: "none" } | { kind: "record" } | { kind: "status"; id: number };

/**
 * A promotion the cluster shows done (every stable service runs the canary's image, the canary at
 * 0): when the environment's newest record is of `version`, it is recorded (by the promotion or by
 * a `/deploy`), unless it was left without a status (its status refused); otherwise its record is
 * missing (GitHub refused it earlier). One read.
 */
export async function missingPromotionRecord(
  deps: Pick<DeployDeps, "records">,
  target: Target,
  version: string,
): Promise<MissingRecord> {
  const [newest] = await deps.records.list({ environment: target.name, limit: 1 });
  if (newest?.payload?.version !== version) return { kind: "record" };
  return newest.state === undefined ? { kind: "status", id: newest.id } : { kind: "none" };
}

/** Write what `missingPromotionRecord` found missing, once; says what was done. */
export async function completePromotionRecord(
  deps: Pick<DeployDeps, "records" | "tags">,
  call: Invocation,
  target: Target,
  services: readonly PromotedService[],
  version: string,
  missing: Exclude<MissingRecord, { kind: "none" }>,
): Promise<string> {
  if (missing.kind === "status") {
    await deps.records.setStatus(missing.id, "success", statusOptions(call, target));
    return `set the \`success\` status GitHub refused earlier on deployment ${missing.id}`;
  }
  const refused = await recordPromotion(deps, call, target, services, version, true);
  if (refused !== undefined) throw new Error(`GitHub refused the deployment: ${refused}`);
  return "recorded it as a GitHub Deployment, which GitHub refused earlier";
}
