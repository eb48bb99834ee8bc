/**
 * Cluster connections from the app's own environment: `KUBECONFIG_<NAME>` holds kubeconfig YAML
 * or a path to one (cluster name: NAME lower-cased, `_` → `-`), and `RELEASE_PILOT_IN_CLUSTER=1`
 * adds the name `in-cluster` (the pod's service account). Clients are built on first use.
 */
import type { Cluster } from "../../ports/cluster.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";
import { KubernetesCluster, type KubernetesClusterOptions } from "./kubernetes-cluster.js";
import { loadKubeConfig, type KubeConfigSource } from "./load-kube-config.js";

const PREFIX = "KUBECONFIG_";

/** Which connection each cluster name maps to, read from environment variables. */
export function clusterSourcesFromEnv(env: NodeJS.ProcessEnv): Record<string, KubeConfigSource> {
  const sources: Record<string, KubeConfigSource> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(PREFIX) || !value) continue;
    const name = key.slice(PREFIX.length).toLowerCase().replace(/_/g, "-");
    if (!name) continue;
    sources[name] = /\n|^\s*apiVersion:/.test(value)
      ? { kind: "kubeconfig", yaml: value }
      : { kind: "kubeconfig-file", path: value };
  }
  if (env.RELEASE_PILOT_IN_CLUSTER === "1") sources["in-cluster"] = { kind: "in-cluster" };
  return sources;
}

export class KubeClusterProvider implements ClusterProvider {
  private readonly built = new Map<string, Cluster>();

  constructor(
    private readonly sources: Record<string, KubeConfigSource>,
    private readonly options: KubernetesClusterOptions = {},
  ) {}

  get(name: string | undefined): Cluster | undefined {
    if (name === undefined) return undefined;
    const cached = this.built.get(name);
    if (cached) return cached;
    const source = Object.hasOwn(this.sources, name) ? this.sources[name] : undefined;
    if (!source) return undefined;
    const cluster = new KubernetesCluster(loadKubeConfig(source), this.options);
    this.built.set(name, cluster);
    return cluster;
  }

  names(): string[] {
    return Object.keys(this.sources);
  }
}

export const clusterProviderFromEnv = (env: NodeJS.ProcessEnv = process.env): ClusterProvider =>
  new KubeClusterProvider(clusterSourcesFromEnv(env));
