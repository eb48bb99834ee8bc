/**
 * The operator's namespace allow-list, enforced where every cluster call of the deploy commands
 * goes through: the cluster connections handed to them. Deploy, rollback, canary, promote,
 * abort, scale, status and the rollouts resumed on start all reach a cluster only through
 * `DeployDeps.clusters`, so a namespace the operator's settings do not allow is refused there,
 * whatever a repository's config (or a Deployment record's payload) names. The commands ask
 * `refusal` first, to answer before locking or recording anything; the wrapped connection is
 * the backstop for any path that does not.
 */
import { namespaceAllowed, type OperatorSettings } from "../../config/operator-settings.js";
import { type Cluster, ClusterError } from "../../ports/cluster.js";
import type { ClusterProvider } from "../../ports/cluster-provider.js";

/** The refusal of a namespace on a cluster, naming both. */
export const namespaceRefusal = (cluster: string, namespace: string): string =>
  `The namespace \`${namespace}\` on cluster \`${cluster}\` is not allowed by this release-pilot installation's operator settings (\`clusters.${cluster}.namespaces\`; system namespaces are never allowed), so nothing was changed. A repository's config cannot widen that list; ask the operator.`;

const guarded = (name: string, cluster: Cluster, settings: OperatorSettings): Cluster => {
  const check = (namespace: string): void => {
    if (!namespaceAllowed(settings, name, namespace))
      throw new ClusterError("forbidden", namespaceRefusal(name, namespace));
  };
  return {
    getDeployment: async (namespace, deployment) => {
      check(namespace);
      return cluster.getDeployment(namespace, deployment);
    },
    listReplicaSets: async (namespace, selector) => {
      check(namespace);
      return cluster.listReplicaSets(namespace, selector);
    },
    patchDeployment: async (namespace, deployment, patch, type) => {
      check(namespace);
      return cluster.patchDeployment(namespace, deployment, patch, type);
    },
    scale: async (namespace, deployment, replicas) => {
      check(namespace);
      return cluster.scale(namespace, deployment, replicas);
    },
    watchRollout: async (namespace, deployment, options) => {
      check(namespace);
      return cluster.watchRollout(namespace, deployment, options);
    },
  };
};

/** The same connections, each refusing every call to a namespace the operator does not allow. */
export const allowListedClusters = (
  provider: ClusterProvider,
  settings: OperatorSettings,
): ClusterProvider => ({
  get: (name) => {
    const cluster = provider.get(name);
    return cluster && name !== undefined ? guarded(name, cluster, settings) : cluster;
  },
  names: () => provider.names(),
  refusal: (name, namespace) =>
    namespaceAllowed(settings, name, namespace) ? undefined : namespaceRefusal(name, namespace),
});
