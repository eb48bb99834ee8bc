/** Where the adapter's credentials come from: in-cluster, a kubeconfig (text or file), or a bare server URL. */
import { KubeConfig } from "@kubernetes/client-node";

export type KubeConfigSource =
  | { kind: "in-cluster" }
  | { kind: "kubeconfig"; yaml: string; context?: string }
  | { kind: "kubeconfig-file"; path: string; context?: string }
  /**
   * A server URL with no credentials: the fake cluster in tests, or a local `kubectl proxy`.
   * client-node refuses plain http unless skipTLSVerify is set, so http URLs set it.
   */
  | { kind: "server"; server: string; skipTLSVerify?: boolean };

type Loaders = {
  [K in KubeConfigSource["kind"]]: (kc: KubeConfig, source: Extract<KubeConfigSource, { kind: K }>) => void;
};

const loaders: Loaders = {
  "in-cluster": (kc) => kc.loadFromCluster(),
  kubeconfig: (kc, s) => {
    kc.loadFromString(s.yaml);
    if (s.context) kc.setCurrentContext(s.context);
  },
  "kubeconfig-file": (kc, s) => {
    kc.loadFromFile(s.path);
    if (s.context) kc.setCurrentContext(s.context);
  },
  server: (kc, s) =>
    kc.loadFromClusterAndUser(
      { name: "cluster", server: s.server, skipTLSVerify: s.skipTLSVerify ?? s.server.startsWith("http:") },
      { name: "user" },
    ),
};

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  (loaders[source.kind] as (kc: KubeConfig, s: KubeConfigSource) => void)(kc, source);
  return kc;
}
