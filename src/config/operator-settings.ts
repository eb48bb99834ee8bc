/**
 * Operator settings: what the person running the app decides, never a repository. Outbound
 * endpoints (MLflow, Prometheus) with their credentials, which repositories may use each, what
 * outbound addresses are allowed, and which namespaces each cluster may be deployed to.
 *
 * They are read once at start from the YAML file named by `RELEASE_PILOT_SETTINGS` (absent: the
 * defaults: no outbound integrations, no private addresses, every non-system namespace). No
 * repository config can name a URL that receives credentials, an environment variable or a file:
 * a repository only says *that* it wants a check; this file says *where* and *with what*.
 *
 * Their schema (operator-settings-schema.ts, zod) loads only when a file is named: a start
 * without one answers its first `/healthz` without loading zod (about 90 ms of a cold start).
 */
import { readFile } from "node:fs/promises";
import type { OperatorSettings, OutboundEndpoint } from "./operator-settings-schema.js";

export type { OperatorSettings, OutboundEndpoint } from "./operator-settings-schema.js";

/**
 * The defaults with no settings file: what the schema gives `{}` (test/config/operator-settings
 * .test.ts checks they are the same).
 */
export const defaultOperatorSettings = (): OperatorSettings => ({
  mlflow: [],
  prometheus: [],
  outbound: { allowPrivateAddresses: false },
  clusters: {},
});

/**
 * The settings named by `RELEASE_PILOT_SETTINGS` (a YAML file path), or the defaults. A bad
 * file is a start-up error naming each bad key.
 */
export const loadOperatorSettings = async (
  env: Record<string, string | undefined>,
): Promise<OperatorSettings> => {
  const path = env.RELEASE_PILOT_SETTINGS;
  if (!path) return defaultOperatorSettings();
  const [{ parseOperatorSettings }, text] = await Promise.all([
    import("./operator-settings-schema.js"),
    readFile(path, "utf8"),
  ]);
  return parseOperatorSettings(text, path);
};

const matchesRepository = (pattern: string, fullName: string): boolean => {
  if (pattern === "*") return true;
  const [owner, repo] = pattern.toLowerCase().split("/");
  const [wantOwner, wantRepo] = fullName.toLowerCase().split("/");
  return owner === wantOwner && (repo === "*" || repo === wantRepo);
};

/** The first endpoint of a list that serves `owner/repo` (GitHub names are case-insensitive). */
export const endpointFor = (
  endpoints: readonly OutboundEndpoint[],
  repo: { owner: string; repo: string },
): OutboundEndpoint | undefined =>
  endpoints.find((e) => e.repositories.some((p) => matchesRepository(p, `${repo.owner}/${repo.repo}`)));

const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** Whether the operator lets deploys touch `namespace` on the cluster named `cluster`. */
export const namespaceAllowed = (settings: OperatorSettings, cluster: string, namespace: string): boolean => {
  const listed = Object.hasOwn(settings.clusters, cluster) ? settings.clusters[cluster] : undefined;
  return listed ? listed.namespaces.includes(namespace) : !SYSTEM_NAMESPACES.has(namespace);
};
