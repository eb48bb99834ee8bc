/**
 * The cluster steps a deploy is made of: read what runs, set images like `kubectl set image`,
 * and watch rollouts like `kubectl rollout status`, under one overall deadline.
 */
import { buildImagePatch, imageOf } from "../../domain/deploy/build-image-patch.js";
import type { ServicePayload } from "../../domain/deploy/deploy-payload.js";
import { evaluateRolloutStatus } from "../../domain/deploy/evaluate-rollout-status.js";
import type { ServiceImage } from "../../domain/deploy/resolve-service-images.js";
import { revisionOf } from "../../domain/deploy/workload.js";
import { type Cluster, ClusterError } from "../../ports/cluster.js";
import type { Timeline } from "./timeline.js";

/** What runs now, recorded in the Deployment payload before anything changes. */
export async function readCurrent(
  cluster: Cluster,
  namespace: string,
  services: readonly ServiceImage[],
): Promise<ServicePayload[]> {
  return Promise.all(
    services.map(async (s) => {
      const d = await cluster.getDeployment(namespace, s.deployment);
      // Throws NoSuchContainerError when the config names a container the Deployment lacks.
      buildImagePatch(d, s.container, s.image);
      return {
        ...s,
        previousRevision: revisionOf(d),
        previousImage: imageOf(d, s.container),
        previousHealthy: evaluateRolloutStatus(d).kind === "done",
      };
    }),
  );
}

/** Patch every service whose image differs; returns the names of the Deployments changed. */
export async function applyImages(
  cluster: Cluster,
  namespace: string,
  services: readonly ServicePayload[],
  timeline: Timeline,
): Promise<string[]> {
  const changed: string[] = [];
  for (const s of services) {
    const d = await cluster.getDeployment(namespace, s.deployment);
    const patch = buildImagePatch(d, s.container, s.image);
    if (!patch) {
      timeline.add(`\`${s.deployment}\` already runs \`${s.image}\`; not patched`);
      continue;
    }
    await cluster.patchDeployment(namespace, s.deployment, patch, "strategic");
    timeline.add(`set image \`${s.container}=${s.image}\` on \`${s.deployment}\``);
    changed.push(s.deployment);
  }
  return changed;
}

export interface WatchResult {
  deployment: string;
  /**
   * done / failed: the Deployment's own status said so; timed-out: the environment's overall
   * timeout passed first; unobserved: Kubernetes refused the app permission to read or watch it,
   * so nothing is known of the rollout (a permission error, not a verdict).
   */
  kind: "done" | "failed" | "timed-out" | "unobserved";
  message: string;
  seconds: number;
}

/**
 * Watch rollouts in parallel until each is done or failed, all within `deadlineMs`. The adapter
 * rides out watch errors itself; what reaches here as "timeout" is the overall deadline.
 */
export async function watchRollouts(
  cluster: Cluster,
  namespace: string,
  deployments: readonly string[],
  deadlineMs: number,
  timeline: Timeline,
  now: () => number,
): Promise<WatchResult[]> {
  const started = now();
  return Promise.all(
    deployments.map(async (name): Promise<WatchResult> => {
      const seconds = () => (now() - started) / 1000;
      try {
        const status = await cluster.watchRollout(namespace, name, {
          timeoutMs: Math.max(1, deadlineMs - (now() - started)),
          onUpdate: (s) => timeline.add(`\`${name}\`: ${s.message}`),
        });
        timeline.add(`\`${name}\`: ${status.message}`);
        return {
          deployment: name,
          kind: status.kind === "done" ? "done" : "failed",
          message: status.message,
          seconds: seconds(),
        };
      } catch (e) {
        if (e instanceof ClusterError && e.kind === "timeout") {
          const message = `rollout of "${name}" did not finish within ${Math.round(deadlineMs / 1000)} s`;
          timeline.add(`\`${name}\`: ${message}`);
          return { deployment: name, kind: "timed-out", message, seconds: seconds() };
        }
        if (e instanceof ClusterError && e.kind === "forbidden") {
          const message = `rollout of "${name}" not observed: Kubernetes answered ${e.status ?? "forbidden"}: ${e.message}`;
          timeline.add(`\`${name}\`: ${message}`);
          return { deployment: name, kind: "unobserved", message, seconds: seconds() };
        }
        throw e;
      }
    }),
  );
}
