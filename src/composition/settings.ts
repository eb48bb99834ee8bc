/**
 * The app's settings: everything the process environment says, read by one function. Nothing
 * else in src/ reads `process.env`; the entry files (src/main.ts, src/index.ts) hand it here, and
 * adapters receive the values.
 */
import type { KubeConfigSource } from "../adapters/kubernetes/load-kube-config.js";
import { loadOperatorSettings, type OperatorSettings } from "../config/operator-settings.js";
import { type InstanceSettings, instanceSettingsFromEnv } from "./instance-settings.js";

export type Env = Record<string, string | undefined>;

export interface AppSettings {
  /** This App's id (`APP_ID`), to tell its own check runs and suites from other apps'. */
  appId?: number;
  /** The log level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /** Who this instance is and how it hands rollouts over. */
  instance: InstanceSettings;
  /** Cluster connections by name (`KUBECONFIG_<NAME>`, `RELEASE_PILOT_IN_CLUSTER=1`). */
  clusters: Record<string, KubeConfigSource>;
  /** The operator's settings file (`RELEASE_PILOT_SETTINGS`): endpoints, allow-lists. */
  operator: OperatorSettings;
  /** Where the tokens the operator's settings name (`tokenEnv`) are read. */
  secrets: Env;
}

const KUBECONFIG_PREFIX = "KUBECONFIG_";

/**
 * Which connection each cluster name maps to: `KUBECONFIG_<NAME>` holds kubeconfig YAML or a path
 * to one (cluster name: NAME lower-cased, `_` → `-`), and `RELEASE_PILOT_IN_CLUSTER=1` adds the
 * name `in-cluster` (the pod's service account).
 */
export function clusterSourcesFromEnv(env: Env): Record<string, KubeConfigSource> {
  const sources: Record<string, KubeConfigSource> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(KUBECONFIG_PREFIX) || !value) continue;
    const name = key.slice(KUBECONFIG_PREFIX.length).toLowerCase().replace(/_/g, "-");
    if (!name) continue;
    sources[name] = /\n|^\s*apiVersion:/.test(value)
      ? { kind: "kubeconfig", yaml: value }
      : { kind: "kubeconfig-file", path: value };
  }
  if (env.RELEASE_PILOT_IN_CLUSTER === "1") sources["in-cluster"] = { kind: "in-cluster" };
  return sources;
}

/**
 * The settings from an environment (the process's, or a test's own). Asynchronous: the operator's
 * settings file, when one is named, is read and checked against its schema, loaded for it.
 */
export const settingsFromEnv = async (env: Env): Promise<AppSettings> => {
  const appId = Number(env.APP_ID);
  return {
    ...(Number.isSafeInteger(appId) && appId > 0 ? { appId } : {}),
    logLevel: env.LOG_LEVEL?.trim() || "info",
    instance: instanceSettingsFromEnv(env),
    clusters: clusterSourcesFromEnv(env),
    operator: await loadOperatorSettings(env),
    secrets: env,
  };
};
