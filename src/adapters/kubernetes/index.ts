export { KubernetesCluster, type KubernetesClusterOptions } from "./kubernetes-cluster.js";
export { loadKubeConfig, type KubeConfigSource } from "./load-kube-config.js";
export { toClusterError } from "./to-cluster-error.js";
export { withRetry, isTransient, type RetryPolicy } from "./with-retry.js";
