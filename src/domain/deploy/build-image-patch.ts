/**
 * The strategic-merge patch `kubectl set image deployment/x c=img` sends: containers merged by
 * name, with `$setElementOrder/containers` keeping the order. Undefined when nothing changes.
 */
import type { Container, Deployment } from "./workload.js";

export interface ImagePatch {
  spec: {
    template: {
      spec: {
        "$setElementOrder/containers": { name: string }[];
        containers: { name: string; image: string }[];
      };
    };
  };
}

/** A container the deployment does not have (kubectl: `unable to find container named`). */
export class NoSuchContainerError extends Error {
  override readonly name = "NoSuchContainerError";
  readonly container: string;
  readonly available: string[];
  constructor(container: string, available: string[]) {
    super(`unable to find container named "${container}"`);
    this.container = container;
    this.available = available;
  }
}

/** `container` may be `*` for every container, as in kubectl. */
export function buildImagePatch(
  deployment: Deployment,
  container: string,
  image: string,
): ImagePatch | undefined {
  const containers: Container[] = deployment.spec?.template?.spec?.containers ?? [];
  const targets = containers.filter((c) => container === "*" || c.name === container);
  if (targets.length === 0)
    throw new NoSuchContainerError(
      container,
      containers.map((c) => c.name),
    );
  const changed = targets.filter((c) => c.image !== image);
  if (changed.length === 0) return undefined;
  return {
    spec: {
      template: {
        spec: {
          "$setElementOrder/containers": containers.map((c) => ({ name: c.name })),
          containers: changed.map((c) => ({ name: c.name, image })),
        },
      },
    },
  };
}

/** The image a container runs, or undefined when there is no such container. */
export const imageOf = (deployment: Deployment, container: string): string | undefined =>
  deployment.spec?.template?.spec?.containers.find((c) => c.name === container)?.image;
