/**
 * Canary plans for the guide's pattern: a `<name>-canary` Deployment beside `<name>`. Start gives
 * the canary the new image and some replicas (remembering its previous image in an annotation, so
 * the state lives in the cluster); promote moves the image to the main Deployment and scales the
 * canary to 0; abort scales the canary to 0 and restores its previous image.
 */
import { buildImagePatch, imageOf } from "./build-image-patch.js";
import type { Deployment } from "./workload.js";

export const PREVIOUS_IMAGE_ANNOTATION = "release-pilot.io/canary-previous-image";

export type ClusterStep =
  | { kind: "patch"; name: string; patchType: "strategic"; patch: object; description: string }
  | { kind: "scale"; name: string; replicas: number; description: string };

export interface DeployPlan {
  namespace: string;
  steps: ClusterStep[];
  summary: string;
}

export interface CanaryRefusal {
  kind: "refused";
  reason: "no-such-container" | "invalid-weight" | "nothing-to-promote" | "no-canary" | "unchanged";
  message: string;
}

export type CanaryPlanResult = { kind: "plan"; plan: DeployPlan } | CanaryRefusal;

export interface CanaryInput {
  main: Deployment;
  canary: Deployment;
  /** Container to update; default: the one named like the main Deployment, else the first. */
  container?: string;
}

const refuse = (reason: CanaryRefusal["reason"], message: string): CanaryRefusal => ({
  kind: "refused",
  reason,
  message,
});

const containerFor = (input: CanaryInput): string => {
  const names = input.main.spec?.template?.spec?.containers.map((c) => c.name) ?? [];
  return (
    input.container ??
    (names.includes(input.main.metadata.name) ? input.main.metadata.name : (names[0] ?? ""))
  );
};

const namespaceOf = (d: Deployment): string => d.metadata.namespace ?? "default";

/** Pods for a traffic share by pod count: c / (main + c) ≈ weight, at least 1. */
export function replicasForWeight(mainReplicas: number, weightPercent: number): number {
  return Math.max(1, Math.round((weightPercent * mainReplicas) / (100 - weightPercent)));
}

export function buildCanaryPlan(
  input: CanaryInput & { image: string; replicas?: number; weightPercent?: number },
): CanaryPlanResult {
  const { canary, image } = input;
  const container = containerFor(input);
  const w = input.weightPercent;
  if (w !== undefined && !(w > 0 && w < 100))
    return refuse("invalid-weight", `weight must be between 0 and 100 (exclusive), got ${w}`);
  const replicas = input.replicas ?? replicasForWeight(input.main.spec?.replicas ?? 1, w ?? 10);
  const canaryPatch = buildImagePatch(canary, container, image);
  if (!canaryPatch.ok)
    return refuse("no-such-container", `${canary.metadata.name}: ${canaryPatch.error.message}`);
  const imagePatch = canaryPatch.value;
  const steps: ClusterStep[] = [];
  if (imagePatch) {
    // Keep the image from before the first canary step, so repeated canaries still abort home.
    const previous =
      canary.metadata.annotations?.[PREVIOUS_IMAGE_ANNOTATION] ?? imageOf(canary, container) ?? "";
    steps.push({
      kind: "patch",
      name: canary.metadata.name,
      patchType: "strategic",
      patch: { metadata: { annotations: { [PREVIOUS_IMAGE_ANNOTATION]: previous } }, ...imagePatch },
      description: `set image ${container}=${image} on ${canary.metadata.name}`,
    });
  }
  if ((canary.spec?.replicas ?? 0) !== replicas)
    steps.push({
      kind: "scale",
      name: canary.metadata.name,
      replicas,
      description: `scale ${canary.metadata.name} to ${replicas}`,
    });
  if (steps.length === 0)
    return refuse("unchanged", `${canary.metadata.name} already runs ${image} with ${replicas} replicas`);
  return {
    kind: "plan",
    plan: {
      namespace: namespaceOf(canary),
      steps,
      summary: `canary ${image} on ${canary.metadata.name} (${replicas} replicas)`,
    },
  };
}

export function buildPromotePlan(input: CanaryInput): CanaryPlanResult {
  const { main, canary } = input;
  const container = containerFor(input);
  const image = imageOf(canary, container);
  if (image === undefined)
    return refuse(
      "no-such-container",
      `${canary.metadata.name}: unable to find container named "${container}"`,
    );
  const running =
    (canary.spec?.replicas ?? 0) > 0 ||
    canary.metadata.annotations?.[PREVIOUS_IMAGE_ANNOTATION] !== undefined;
  if (!running) return refuse("nothing-to-promote", `no canary is running on ${canary.metadata.name}`);
  const mainResult = buildImagePatch(main, container, image);
  if (!mainResult.ok)
    return refuse("no-such-container", `${main.metadata.name}: ${mainResult.error.message}`);
  const mainPatch = mainResult.value;
  const steps: ClusterStep[] = [];
  if (mainPatch)
    steps.push({
      kind: "patch",
      name: main.metadata.name,
      patchType: "strategic",
      patch: mainPatch,
      description: `set image ${container}=${image} on ${main.metadata.name}`,
    });
  steps.push({
    kind: "scale",
    name: canary.metadata.name,
    replicas: 0,
    description: `scale ${canary.metadata.name} to 0`,
  });
  steps.push({
    kind: "patch",
    name: canary.metadata.name,
    patchType: "strategic",
    patch: { metadata: { annotations: { [PREVIOUS_IMAGE_ANNOTATION]: null } } },
    description: `forget the canary's previous image`,
  });
  return {
    kind: "plan",
    plan: { namespace: namespaceOf(main), steps, summary: `promote ${image} to ${main.metadata.name}` },
  };
}

export function buildAbortPlan(input: { canary: Deployment; container?: string }): CanaryPlanResult {
  const { canary } = input;
  const previous = canary.metadata.annotations?.[PREVIOUS_IMAGE_ANNOTATION];
  if ((canary.spec?.replicas ?? 0) === 0 && previous === undefined)
    return refuse("no-canary", `no canary is running on ${canary.metadata.name}`);
  const steps: ClusterStep[] = [];
  if ((canary.spec?.replicas ?? 0) !== 0)
    steps.push({
      kind: "scale",
      name: canary.metadata.name,
      replicas: 0,
      description: `scale ${canary.metadata.name} to 0`,
    });
  if (previous !== undefined) {
    const names = canary.spec?.template?.spec?.containers.map((c) => c.name) ?? [];
    const container =
      input.container ??
      (names.includes(canary.metadata.name.replace(/-canary$/, ""))
        ? canary.metadata.name.replace(/-canary$/, "")
        : (names[0] ?? ""));
    const restore = buildImagePatch(canary, container, previous);
    if (!restore.ok) return refuse("no-such-container", `${canary.metadata.name}: ${restore.error.message}`);
    const patch = restore.value;
    steps.push({
      kind: "patch",
      name: canary.metadata.name,
      patchType: "strategic",
      patch: { metadata: { annotations: { [PREVIOUS_IMAGE_ANNOTATION]: null } }, ...(patch ?? {}) },
      description: `restore image ${container}=${previous} on ${canary.metadata.name}`,
    });
  }
  return {
    kind: "plan",
    plan: { namespace: namespaceOf(canary), steps, summary: `abort canary on ${canary.metadata.name}` },
  };
}
