import type { ModelSpec } from "../../config/sections/checklist-section.js";
import type { ModelEvidence, ModelsInput } from "../../domain/checklist/types.js";
import { errorMessage, type GatherContext } from "./gather-context.js";

const evidenceFor = async (ctx: GatherContext, spec: ModelSpec): Promise<ModelEvidence> => {
  if (spec.source === "file") {
    if (!spec.path) return { kind: "error", message: "source 'file' needs a `path` to the metrics JSON" };
    return {
      kind: "file",
      path: spec.path,
      text: await ctx.fileAtHead(spec.path),
    };
  }
  if (!spec.name) return { kind: "error", message: "source 'mlflow' needs the registered model `name`" };
  const registry = ctx.deps.models;
  if (!registry)
    return {
      kind: "error",
      message:
        "no MLflow server serves this repository (the app's operator lists it under `mlflow` in the RELEASE_PILOT_SETTINGS file)",
    };
  const mv = await registry.getModelVersionMetrics({
    name: spec.name,
    version: spec.version,
    alias: spec.alias,
    stage: spec.stage,
  });
  return { kind: "metrics", label: `${mv.name} v${mv.version}`, metrics: mv.metrics, link: mv.url };
};

/** The metrics of the model version each project ships; an unreachable registry fails only its rows. */
export const gatherModels = async (ctx: GatherContext): Promise<ModelsInput> => ({
  models: await Promise.all(
    Object.entries(ctx.config.models.projects).map(async ([project, spec]) => {
      try {
        return { project, spec, evidence: await evidenceFor(ctx, spec) };
      } catch (e) {
        return { project, spec, evidence: { kind: "error" as const, message: errorMessage(e) } };
      }
    }),
  ),
});
