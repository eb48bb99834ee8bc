/**
 * Bearer tokens and a small RBAC model for the fake API server: each token is a service account
 * bound to verbs per namespace, as a RoleBinding grants a Role's verbs in its namespace
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole). With no
 * tokens configured every request is allowed, as before.
 */
import { ApiError } from "./workload-api.js";

/** The resource verbs of https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

export interface TokenGrant {
  /** The user the token authenticates as, e.g. `system:serviceaccount:release-pilot:deployer`. */
  user: string;
  /**
   * Verbs allowed per namespace on deployments and replicasets (and their scale and status
   * subresources); `"*"` stands for every namespace, as a ClusterRoleBinding does.
   */
  namespaces: Record<string, Verb[]>;
}

/** Bearer token → what it may do. */
export type ClusterTokens = Record<string, TokenGrant>;

export interface AccessRequest {
  verb: Verb;
  /** `deployments`, `replicasets`, or with a subresource: `deployments/scale`. */
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
}

/**
 * The verb of a request, from its method and whether it names an object
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb):
 * GET on a collection is list, with `watch` it is watch; POST create; PUT update; PATCH patch.
 */
export const requestVerb = (method: string, named: boolean, watch: boolean): Verb => {
  if (method === "GET" || method === "HEAD") return watch ? "watch" : named ? "get" : "list";
  if (method === "POST") return "create";
  if (method === "PUT") return "update";
  if (method === "PATCH") return "patch";
  return "delete";
};

/**
 * 401 when a token is missing or unknown: the API server's authentication answers before any
 * authorization (https://kubernetes.io/docs/reference/access-authn-authz/authentication/:
 * "requests that are rejected by other configured authentication methods" get 401 when anonymous
 * requests are disabled), with a Status whose message and reason are "Unauthorized".
 */
export function authenticate(tokens: ClusterTokens, authorization: string | undefined): TokenGrant {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const grant = m?.[1] !== undefined && Object.hasOwn(tokens, m[1]) ? tokens[m[1]] : undefined;
  if (!grant) throw new ApiError(401, "Unauthorized", "Unauthorized");
  return grant;
}

/**
 * 403 Forbidden with the message the RBAC authorizer's refusal reads as
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/ and
 * https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access):
 * `deployments.apps "x" is forbidden: User "u" cannot patch resource "deployments" in API group
 * "apps" in the namespace "ns"`, details naming the object, its group and resource.
 */
export function authorize(grant: TokenGrant, req: AccessRequest): void {
  const allowed = (ns: string): boolean =>
    Object.hasOwn(grant.namespaces, ns) && (grant.namespaces[ns] ?? []).includes(req.verb);
  // A namespaced request is allowed by a binding in its namespace or a cluster-wide one; a request
  // across every namespace only by a cluster-wide one.
  if (allowed("*") || (req.namespace !== undefined && allowed(req.namespace))) return;
  const plural = req.resource.split("/")[0] ?? req.resource;
  const subject = req.name === undefined ? `${plural}.apps` : `${plural}.apps "${req.name}"`;
  const scope = req.namespace === undefined ? "at the cluster scope" : `in the namespace "${req.namespace}"`;
  throw new ApiError(
    403,
    "Forbidden",
    `${subject} is forbidden: User "${grant.user}" cannot ${req.verb} resource "${req.resource}" in API group "apps" ${scope}`,
    { ...(req.name === undefined ? {} : { name: req.name }), group: "apps", kind: plural },
  );
}
