import { endpointFor, type OperatorSettings } from "../../config/operator-settings.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import type { ModelRegistry } from "../../ports/checklist.js";
import { createMlflowClient } from "./mlflow-client.js";
import { mlflowModelRegistry } from "./mlflow-model-registry.js";
import { guardedFetch } from "../outbound/guarded-fetch.js";

/**
 * The MLflow registry the operator's settings give this repository (the first `mlflow` entry
 * whose allow-list matches), with its token from the app's environment; undefined when none
 * does. The repository's config has no say in where requests go or what they carry.
 */
export const mlflowRegistryFor = (
  operator: Pick<OperatorSettings, "mlflow" | "outbound">,
  repo: RepoRef,
  env: Record<string, string | undefined>,
  fetchImpl?: typeof fetch,
): ModelRegistry | undefined => {
  const endpoint = endpointFor(operator.mlflow, repo);
  if (!endpoint) return undefined;
  return mlflowModelRegistry(
    createMlflowClient({
      baseUrl: endpoint.url,
      token: endpoint.tokenEnv === undefined ? undefined : env[endpoint.tokenEnv],
      fetch: fetchImpl ?? guardedFetch(operator.outbound),
    }),
  );
};
