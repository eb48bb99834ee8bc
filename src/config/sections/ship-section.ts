import { z } from "zod";

/** One registered MLflow model whose shipping version gets the release version and stage as tags. */
const modelEntry = z
  .object({
    name: z.string().min(1).describe("Registered model name in MLflow (e.g. BankChurn-XGBoost)."),
    version: z.string().min(1).optional().describe("Exact model version that ships."),
    alias: z.string().min(1).optional().describe("Alias of the version that ships (e.g. champion)."),
    fromStage: z
      .string()
      .min(1)
      .optional()
      .describe("Take the newest version in this stage (absent with no version or alias: the newest)."),
    stage: z.string().min(1).default("production").describe("Stage written into the `stage` tag."),
  })
  .strict();

/** What happens when a release, hotfix or revert PR is merged into main (steps 5, 6, 7 and 10). */
export const shipSection = z
  .object({
    release: z
      .object({
        draft: z.boolean().default(true).describe("Create the GitHub release as a draft."),
        publish: z
          .enum(["never", "after-images"])
          .default("never")
          .describe("Publish a draft release by itself: never, or once the images are published."),
      })
      .strict()
      .prefault({})
      .describe("The GitHub release made on merge."),
    backMerge: z
      .object({
        direct: z
          .boolean()
          .default(true)
          .describe("Merge main into develop directly when conflict-free; false: always open a PR."),
      })
      .strict()
      .prefault({})
      .describe("Merging main back into develop after a release or hotfix."),
    images: z
      .object({
        mode: z
          .enum(["workflow", "release-event", "off"])
          .default("workflow")
          .describe(
            "workflow: dispatch the workflow with the version; release-event: the workflow runs on the release event; off: no images.",
          ),
        workflow: z
          .string()
          .regex(/^[\w.-]+\.ya?ml$/, "a workflow file name such as publish-images.yml")
          .default("publish-images.yml")
          .describe("Workflow file under .github/workflows that builds and pushes the images."),
        ref: z.string().min(1).optional().describe("Ref to run the workflow on (absent: the release tag)."),
      })
      .strict()
      .prefault({})
      .describe("Building and pushing the Docker images of a release."),
    models: z
      .array(modelEntry)
      .default([])
      .describe(
        "MLflow models (on the operator's MLflow server for this repository) tagged with the release version and stage.",
      ),
    hotfix: z
      .object({
        label: z
          .string()
          .min(1)
          .default("hotfix")
          .describe("Label that starts a hotfix (issue) or marks a hotfix PR."),
      })
      .strict()
      .prefault({})
      .describe("The hotfix process."),
  })
  .strict()
  .prefault({});

export type ShipConfig = z.infer<typeof shipSection>;
export type ShipModelConfig = z.infer<typeof modelEntry>;
