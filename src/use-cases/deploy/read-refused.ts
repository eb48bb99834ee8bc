/**
 * Cluster reads a command makes before it changes anything (the plan of a rollback, what a deploy
 * replaces): a 401/403 there names the permission the app's role lacks, so the reply can say what
 * to grant and that nothing was changed.
 */
import { ClusterError } from "../../ports/cluster.js";

/**
 * A read that Kubernetes refused (401/403, RBAC): the verb, resource and namespace the
 * app's role lacks, so the reply names the permission to grant rather than only a status
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole).
 */
export class ReadRefusedError extends ClusterError {
  constructor(
    readonly verb: "get" | "list",
    readonly resource: "deployments" | "replicasets",
    readonly namespace: string,
    refused: ClusterError,
  ) {
    // Still a ClusterError ("forbidden", the same status): callers that tell a 403 apart see one.
    super(
      "forbidden",
      `Kubernetes refused to ${verb} ${resource} in ${namespace}: ${refused.message}`,
      refused.status,
      { cause: refused },
    );
  }
}

/** The permission a refused read needs, as a reply says it. */
export const permissionToGrant = (e: ReadRefusedError): string =>
  `Kubernetes refused release-pilot permission (${e.status ?? "forbidden"}): give the app's role \`${e.verb}\` on \`${e.resource}\` (API group \`apps\`) in the namespace \`${e.namespace}\` (see docs/kubernetes.md)`;

/** A read that turns a 401/403 into the permission it lacks; other failures pass as they are. */
export const reading = async <T>(
  verb: ReadRefusedError["verb"],
  resource: ReadRefusedError["resource"],
  namespace: string,
  read: () => Promise<T>,
): Promise<T> => {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ClusterError && e.kind === "forbidden")
      throw new ReadRefusedError(verb, resource, namespace, e);
    throw e;
  }
};
