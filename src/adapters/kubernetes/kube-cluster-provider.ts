/**
 * Cluster connections by name, from the sources the app's settings list (src/composition/
 * settings.ts reads them from `KUBECONFIG_<NAME>` and `RELEASE_PILOT_IN_CLUSTER`). Clients are built on first use, and the
 * Kubernetes client library is loaded then too: it costs about half a second and 60 MB at start,
 * which an app with no cluster (or one that has not deployed yet) should not pay.
 */
import type { Cluster, PatchType, WatchRolloutOptions } from "../../ports/cluster.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";
import type { KubernetesClusterOptions } from "./kubernetes-cluster.js";
import type { KubeConfigSource } from "./load-kube-config.js";

let clientLibrary:
  Promise<typeof import("./kubernetes-cluster.js") & typeof import("./load-kube-config.js")> | undefined;

/** The client modules, imported once for every cluster, one after the other (they share modules). */
const loadClientLibrary = () =>
  (clientLibrary ??= (async () => ({
    ...(await import("./kubernetes-cluster.js")),
    ...(await import("./load-kube-config.js")),
  }))());

/** A cluster whose client (and client library) is built on the first call. */
class LazyKubernetesCluster implements Cluster {
  private client: Promise<Cluster> | undefined;

  constructor(
    private readonly source: KubeConfigSource,
    private readonly options: KubernetesClusterOptions,
  ) {}

  private load(): Promise<Cluster> {
    this.client ??= loadClientLibrary().then(
      ({ KubernetesCluster, loadKubeConfig }) =>
        new KubernetesCluster(loadKubeConfig(this.source), this.options),
    );
    // A kubeconfig that could not be read is read again on the next call (the file may be fixed).
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async getDeployment(namespace: string, name: string) {
    return (await this.load()).getDeployment(namespace, name);
  }
  async listReplicaSets(namespace: string, labelSelector: string) {
    return (await this.load()).listReplicaSets(namespace, labelSelector);
  }
  async patchDeployment(namespace: string, name: string, patch: unknown, type: PatchType) {
    return (await this.load()).patchDeployment(namespace, name, patch, type);
  }
  async scale(namespace: string, name: string, replicas: number) {
    return (await this.load()).scale(namespace, name, replicas);
  }
  async watchRollout(namespace: string, name: string, options: WatchRolloutOptions) {
    return (await this.load()).watchRollout(namespace, name, options);
  }
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
    const cluster = new LazyKubernetesCluster(source, this.options);
    this.built.set(name, cluster);
    return cluster;
  }

  names(): string[] {
    return Object.keys(this.sources);
  }
}
