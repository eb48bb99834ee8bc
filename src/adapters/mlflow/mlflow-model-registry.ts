import type { ModelRegistry, ModelVersionMetrics, ModelVersionRef } from "../../ports/checklist.js";
import type { MlflowClient, MlflowModelVersion } from "./mlflow-client.js";
import { MlflowError } from "./mlflow-error.js";

const newest = (versions: MlflowModelVersion[]): MlflowModelVersion | undefined =>
  [...versions].sort((a, b) => Number(b.version) - Number(a.version))[0];

/** Resolves the shipping version (exact, alias, or latest in a stage) and reads its run's metrics. */
const resolveVersion = async (client: MlflowClient, ref: ModelVersionRef): Promise<MlflowModelVersion> => {
  if (ref.version) return client.getModelVersion(ref.name, ref.version);
  if (ref.alias) return client.getModelVersionByAlias(ref.name, ref.alias);
  const found = newest(await client.getLatestVersions(ref.name, ref.stage ? [ref.stage] : undefined));
  if (!found)
    throw new MlflowError(
      "not-found",
      `no version of model ${ref.name}${ref.stage ? ` in stage ${ref.stage}` : ""}`,
    );
  return found;
};

/** The ModelRegistry port on MLflow. */
export const mlflowModelRegistry = (client: MlflowClient): ModelRegistry => ({
  async getModelVersionMetrics(ref): Promise<ModelVersionMetrics> {
    const mv = await resolveVersion(client, ref);
    if (!mv.runId)
      throw new MlflowError("bad-response", `model ${mv.name} v${mv.version} has no run_id, so no metrics`);
    const run = await client.getRun(mv.runId);
    return {
      name: mv.name,
      version: mv.version,
      runId: run.runId,
      metrics: run.metrics,
      url: `${client.baseUrl}/#/models/${encodeURIComponent(mv.name)}/versions/${mv.version}`,
    };
  },
  tagModelVersion: (name, version, key, value) => client.setModelVersionTag(name, version, key, value),
});
