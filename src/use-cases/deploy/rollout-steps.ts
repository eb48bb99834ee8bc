/**
 * The cluster steps a deploy is made of: read what runs, set images like `kubectl set image`,
 * and watch rollouts like `kubectl rollout status`, under one overall deadline.
 */
import {
  buildImagePatch,
  type ImagePatch,
  imageOf,
  type NoSuchContainer,
} from "../../domain/deploy/build-image-patch.js";
import type { ServicePayload } from "../../domain/deploy/deploy-payload.js";
import { evaluateRolloutStatus } from "../../domain/deploy/evaluate-rollout-status.js";
import type { ServiceImage } from "../../domain/deploy/resolve-service-images.js";
import { type Deployment, revisionOf } from "../../domain/deploy/workload.js";
import { type Cluster, ClusterError } from "../../ports/cluster.js";
import { reading } from "./read-refused.js";
import type { Timeline } from "./timeline.js";

/** A container the Deployment lacks, thrown by the deploy steps (the domain returns it). */
export class NoSuchContainerError extends Error {
  override readonly name = "NoSuchContainerError";
  constructor(readonly problem: NoSuchContainer) {
    super(problem.message);
  }
}

const imagePatchFor = (d: Deployment, container: string, image: string): ImagePatch | undefined => {
  const patch = buildImagePatch(d, container, image);
  if (!patch.ok) throw new NoSuchContainerError(patch.error);
  return patch.value;
};

/** What runs now, recorded in the Deployment payload before anything changes. */
export async function readCurrent(
  cluster: Cluster,
  namespace: string,
  services: readonly ServiceImage[],
): Promise<ServicePayload[]> {
  return Promise.all(
    services.map(async (s) => {
      const d = await reading("get", "deployments", namespace, () =>
        cluster.getDeployment(namespace, s.deployment),
      );
      // Throws NoSuchContainerError when the config names a container the Deployment lacks.
      imagePatchFor(d, s.container, s.image);
      return {
        ...s,
        previousRevision: revisionOf(d),
        previousImage: imageOf(d, s.container),
        previousHealthy: evaluateRolloutStatus(d).kind === "done",
      };
    }),
  );
}

/**
 * A patch failed after others went through: with `allOrNothing`, the patched services were put
 * back on their previous image. `states` says where each service is now, in config order.
 */
export class PartialPatchError extends Error {
  constructor(
    readonly service: string,
    override readonly cause: unknown,
    readonly states: readonly string[],
  ) {
    super(`patching \`${service}\` failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** A failure in a line of a reply, naming Kubernetes when the cluster refused. */
export const say = (e: unknown): string =>
  e instanceof ClusterError
    ? `Kubernetes answered ${e.status ?? e.kind}: ${e.message}`
    : e instanceof Error
      ? e.message
      : String(e);

/**
 * Patch every service whose image differs; returns the names of the Deployments changed. With
 * `allOrNothing` (a deploy), a service that cannot be patched (after the adapter's retries) puts
 * the ones already patched back on their previous image, and a PartialPatchError tells each one's
 * state: an environment is never left on mixed versions without a word.
 */
export async function applyImages(
  cluster: Cluster,
  namespace: string,
  services: readonly ServicePayload[],
  timeline: Timeline,
  options: { allOrNothing?: boolean } = {},
): Promise<string[]> {
  const changed: string[] = [];
  for (const [i, s] of services.entries()) {
    try {
      const d = await cluster.getDeployment(namespace, s.deployment);
      const patch = imagePatchFor(d, s.container, s.image);
      if (!patch) {
        timeline.add(`\`${s.deployment}\` already runs \`${s.image}\`; not patched`);
        continue;
      }
      await cluster.patchDeployment(namespace, s.deployment, patch, "strategic");
    } catch (e) {
      if (!options.allOrNothing) throw e;
      timeline.add(`\`${s.deployment}\`: could not be patched: ${say(e)}`);
      const states: string[] = [];
      for (const done of services.slice(0, i)) {
        if (!changed.includes(done.deployment)) {
          states.push(`\`${done.deployment}\`: already ran \`${done.image}\`; left as it was`);
          continue;
        }
        states.push(await putBack(cluster, namespace, done, timeline));
      }
      states.push(`\`${s.deployment}\`: not patched (${say(e)}); still on \`${s.previousImage ?? "?"}\``);
      for (const rest of services.slice(i + 1))
        states.push(`\`${rest.deployment}\`: not patched; still on \`${rest.previousImage ?? "?"}\``);
      throw new PartialPatchError(s.deployment, e, states);
    }
    timeline.add(`set image \`${s.container}=${s.image}\` on \`${s.deployment}\``);
    changed.push(s.deployment);
  }
  return changed;
}

/** Put a patched service back on its previous image; the line says where it is now. */
async function putBack(
  cluster: Cluster,
  namespace: string,
  s: ServicePayload,
  timeline: Timeline,
): Promise<string> {
  if (!s.previousImage)
    return `\`${s.deployment}\`: patched to \`${s.image}\`, and its previous image is unknown: left on \`${s.image}\``;
  try {
    const d = await cluster.getDeployment(namespace, s.deployment);
    const patch = imagePatchFor(d, s.container, s.previousImage);
    if (patch) await cluster.patchDeployment(namespace, s.deployment, patch, "strategic");
    timeline.add(`put \`${s.deployment}\` back on \`${s.previousImage}\``);
    return `\`${s.deployment}\`: put back on \`${s.previousImage}\``;
  } catch (e) {
    return `\`${s.deployment}\`: ⚠️ left on \`${s.image}\`: putting it back failed (${say(e)}); \`/rollback\` it`;
  }
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
