/**
 * The strategic-merge patch `kubectl set image deployment/x c=img` sends: containers merged by
 * name, with `$setElementOrder/containers` keeping the order. Undefined when nothing changes.
 */
import { fail, ok, type Result } from "../result.js";
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
export interface NoSuchContainer {
  readonly kind: "no-such-container";
  readonly container: string;
  readonly available: string[];
  readonly message: string;
}

/**
 * `container` may be `*` for every container, as in kubectl. A container the Deployment lacks is
 * a failed result, never a throw.
 */
export function buildImagePatch(
  deployment: Deployment,
  container: string,
  image: string,
): Result<ImagePatch | undefined, NoSuchContainer> {
  const containers: Container[] = deployment.spec?.template?.spec?.containers ?? [];
  const targets = containers.filter((c) => container === "*" || c.name === container);
  if (targets.length === 0)
    return fail({
      kind: "no-such-container",
      container,
      available: containers.map((c) => c.name),
      message: `unable to find container named "${container}"`,
    });
  const changed = targets.filter((c) => c.image !== image);
  if (changed.length === 0) return ok(undefined);
  return ok({
    spec: {
      template: {
        spec: {
          "$setElementOrder/containers": containers.map((c) => ({ name: c.name })),
          containers: changed.map((c) => ({ name: c.name, image })),
        },
      },
    },
  });
}

/** The image a container runs, or undefined when there is no such container. */
export const imageOf = (deployment: Deployment, container: string): string | undefined =>
  deployment.spec?.template?.spec?.containers.find((c) => c.name === container)?.image;
