/**
 * Rollback targets per service, as `kubectl rollout undo` would apply them: to a revision, to the
 * revision running a version's image, or to the last revision known good (deployed with success
 * through release-pilot, or healthy when a deploy replaced it) rather than blindly the previous.
 */
import { buildRollback, type RollbackPlan } from "../../domain/deploy/build-rollback.js";
import { findLastGoodRevision } from "../../domain/deploy/find-last-good-revision.js";
import {
  ownedReplicaSets,
  revisionOf,
  type Deployment,
  type PodTemplate,
  type ReplicaSet,
} from "../../domain/deploy/workload.js";
import type { Cluster } from "../../ports/cluster.js";
import type { DeploymentRecord } from "../../ports/deployments.js";
import { selectorOf } from "./deploy-deps.js";
import { reading } from "./read-refused.js";

export type RollbackChoice =
  | { kind: "revision"; revision: number }
  | { kind: "image"; images: ReadonlyMap<string, string> }
  | { kind: "last-good"; good: GoodImages; healthyBefore?: ReadonlyMap<string, number> };

/** Images (per Deployment name) that a successful release-pilot deploy put there. */
export type GoodImages = ReadonlyMap<string, ReadonlySet<string>>;

export interface ServiceRollback {
  deployment: string;
  container: string;
  plan: RollbackPlan;
  /** The image the target revision runs (for records and replies). */
  image: string | undefined;
  /** What the Deployment ran when planned: what putting it back restores (all or nothing). */
  before?: {
    template: PodTemplate | undefined;
    annotations: Record<string, string> | undefined;
    image: string | undefined;
  };
}

export function goodImagesOf(records: readonly DeploymentRecord[]): GoodImages {
  const good = new Map<string, Set<string>>();
  for (const r of records) {
    if (!r.everSucceeded || !r.payload) continue;
    for (const s of r.payload.services) {
      const set = good.get(s.deployment) ?? new Set<string>();
      set.add(s.image);
      good.set(s.deployment, set);
    }
  }
  return good;
}

const imageIn = (rs: ReplicaSet, container: string): string | undefined =>
  rs.spec?.template?.spec?.containers.find((c) => c.name === container)?.image;

function targetRevision(
  d: Deployment,
  rss: ReplicaSet[],
  container: string,
  choice: RollbackChoice,
): number | RollbackPlan {
  const name = d.metadata.name;
  if (choice.kind === "revision") return choice.revision;
  if (choice.kind === "image") {
    const image = choice.images.get(name) ?? "";
    const match = rss
      .filter((rs) => imageIn(rs, container) === image)
      .map((rs) => revisionOf(rs) ?? 0)
      .sort((a, b) => b - a)[0];
    return (
      match ?? {
        kind: "refused",
        reason: "revision-not-found",
        message: `no revision of deployment "${name}" runs ${image}`,
      }
    );
  }
  const good = choice.good.get(name);
  const healthy = choice.healthyBefore?.get(name);
  const found = findLastGoodRevision(
    rss,
    revisionOf(d) ?? 0,
    (rs, revision) => revision === healthy || good?.has(imageIn(rs, container) ?? "") === true,
  );
  return (
    found?.revision ?? {
      kind: "refused",
      reason: "no-history",
      message: `no earlier revision of deployment "${name}" is known to be good`,
    }
  );
}

export async function planRollbacks(
  cluster: Cluster,
  namespace: string,
  services: readonly { deployment: string; container: string }[],
  choice: RollbackChoice,
): Promise<ServiceRollback[]> {
  return Promise.all(
    services.map(async ({ deployment, container }) => {
      const d = await reading("get", "deployments", namespace, () =>
        cluster.getDeployment(namespace, deployment),
      );
      const all = await reading("list", "replicasets", namespace, () =>
        cluster.listReplicaSets(namespace, selectorOf(d.spec?.selector?.matchLabels)),
      );
      const rss = ownedReplicaSets(d, all);
      const target = targetRevision(d, rss, container, choice);
      const plan = typeof target === "number" ? buildRollback(d, rss, target) : target;
      const image =
        plan.kind === "patch"
          ? plan.template.spec?.containers.find((c) => c.name === container)?.image
          : undefined;
      const template = d.spec?.template;
      const before = {
        template,
        annotations: d.metadata.annotations,
        image: template?.spec?.containers.find((c) => c.name === container)?.image,
      };
      return { deployment, container, plan, image, before };
    }),
  );
}
