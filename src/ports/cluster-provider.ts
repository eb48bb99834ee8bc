/**
 * Cluster connections by name. The operator of the app sets them up (never a repository's
 * config), so a repo can only choose among the clusters the bot was given.
 */
import type { Cluster } from "./cluster.js";

export interface ClusterProvider {
  get(name: string): Cluster | undefined;
  /** Known names, for error messages. */
  names(): string[];
}

/** A provider over fixed connections (tests, demo). */
export const staticClusterProvider = (clusters: Record<string, Cluster>): ClusterProvider => ({
  get: (name) => clusters[name],
  names: () => Object.keys(clusters),
});
