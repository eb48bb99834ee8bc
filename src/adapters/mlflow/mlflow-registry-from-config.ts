import type { ChecklistConfig } from "../../config/sections/checklist.js";
import type { ModelRegistry } from "../../ports/checklist.js";
import { createMlflowClient } from "./mlflow-client.js";
import { mlflowModelRegistry } from "./mlflow-model-registry.js";

/** The MLflow registry the config names, with its token from the environment; undefined without a URL. */
export const mlflowRegistryFromConfig = (
  mlflow: ChecklistConfig["mlflow"],
  env: Record<string, string | undefined>,
  fetchImpl?: typeof fetch,
): ModelRegistry | undefined =>
  mlflow.url === undefined
    ? undefined
    : mlflowModelRegistry(
        createMlflowClient({
          baseUrl: mlflow.url,
          token: env[mlflow.tokenEnv],
          ...(fetchImpl ? { fetch: fetchImpl } : {}),
        }),
      );
