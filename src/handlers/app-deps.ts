import type { ArtifactCache } from "../adapters/github/checklist-artifact-cache.js";
import type { FileCache } from "../adapters/github/read-repo-file.js";
import type { OperatorSettings } from "../config/operator-settings.js";
import type { Clock } from "../ports/clock.js";
import type { ClusterProvider } from "../ports/cluster-provider.js";
import type { Jobs } from "../ports/jobs.js";
import type { Metrics } from "../ports/metrics.js";
import type { DeployAppDeps } from "../use-cases/deploy/deploy-runners.js";
import type { CommandRunners } from "./command-context.js";

/** What the composition root hands every handler. */
export interface AppDeps {
  clock: Clock;
  fileCache: FileCache;
  runners: CommandRunners;
  metrics: Metrics;
  /** Cluster connections by name (the operator's, never a repo's); absent: deploys are off. */
  clusters?: ClusterProvider;
  /** Background work after the webhook was answered (rollout watches); tests await `idle()`. */
  jobs?: Jobs;
  /**
   * The deploy commands' app-wide dependencies (instance name, watch claims held), shared by the
   * rollouts resumed on start and handed over on stop.
   */
  deploy?: DeployAppDeps;
  /** CI artifacts already downloaded (coverage and security reports), shared by evaluations. */
  artifactCache?: ArtifactCache;
  /** This App's id, to tell its own check runs and suites from other apps'. */
  appId?: number;
  /**
   * The operator's settings (outbound endpoints and their credentials, namespace allow-lists):
   * never read from a repository. Absent: the defaults (no outbound integrations).
   */
  operator?: OperatorSettings;
  /** Where secrets such as the MLflow token are read (the process environment by default). */
  env?: Record<string, string | undefined>;
}
