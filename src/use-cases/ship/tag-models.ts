import type { ShipModelConfig } from "../../config/sections/ship-section.js";
import type { ModelRegistry } from "../../ports/checklist.js";

export interface TaggedModel {
  name: string;
  version: string;
  url?: string | undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Model release management: the registered version that ships of each configured model gets
 * `version` and `stage` tags (MLflow's set-tag overwrites, so a re-run changes nothing).
 */
export const tagModels = async (
  registry: ModelRegistry | undefined,
  input: { models: readonly ShipModelConfig[]; version: string },
): Promise<{ tagged: TaggedModel[]; problems: string[] }> => {
  const tagged: TaggedModel[] = [];
  const problems: string[] = [];
  if (input.models.length === 0) return { tagged, problems };
  if (!registry)
    return {
      tagged,
      problems: [
        "Models are configured but no MLflow server serves this repository (`mlflow` in the operator's RELEASE_PILOT_SETTINGS file).",
      ],
    };
  for (const model of input.models) {
    try {
      const found = await registry.getModelVersionMetrics({
        name: model.name,
        version: model.version,
        alias: model.alias,
        stage: model.fromStage,
      });
      await registry.tagModelVersion(model.name, found.version, "version", input.version);
      await registry.tagModelVersion(model.name, found.version, "stage", model.stage);
      tagged.push({ name: model.name, version: found.version, url: found.url });
    } catch (error) {
      problems.push(`Model ${model.name} was not tagged: ${messageOf(error)}`);
    }
  }
  return { tagged, problems };
};
