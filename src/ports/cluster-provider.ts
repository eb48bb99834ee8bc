/**
 * Cluster connections by name. The operator of the app sets them up (never a repository's
 * config), so a repo can only choose among the clusters the bot was given.
 */
import type { Cluster } from "./cluster.js";

export interface ClusterProvider {
  /** undefined for no name (an environment a workflow deploys names no cluster). */
  get(name: string | undefined): Cluster | undefined;
  /** Known names, for error messages. */
  names(): string[];
  /**
   * Why `namespace` on the cluster `name` may not be touched (the operator's allow-list), or
   * undefined when it may. Absent: no list applies.
   */
  refusal?(name: string, namespace: string): string | undefined;
}

/** A provider over fixed connections (tests, demo). */
export const staticClusterProvider = (clusters: Record<string, Cluster>): ClusterProvider => ({
  get: (name) => (name !== undefined && Object.hasOwn(clusters, name) ? clusters[name] : undefined),
  names: () => Object.keys(clusters),
});
