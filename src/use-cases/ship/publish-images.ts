import type { Config } from "../../config/schema.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { imagesStateOf, withImagesBlock } from "../../domain/ship/release-body.js";
import { isParseError } from "../../domain/version/parse-error.js";
import { parseTagName } from "../../domain/version/tag-name.js";
import type { GitData } from "../../ports/git-data.js";
import type { ReleaseRecord, Releases } from "../../ports/releases.js";
import type { Workflows } from "../../ports/workflows.js";
import { serviceImages } from "./ensure-release.js";

export type ImagesStart = { runUrl: string } | { note: string } | { problem: string };

const statusOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "status" in error ? String(error.status) : "an error";

/**
 * Step 7: the images of a release. In `workflow` mode the configured workflow is dispatched
 * with the version (once: a run already there for the commit is reused) and the release notes
 * link the run; in `release-event` mode the notes say the release event builds them.
 */
export const startImagePublishing = async (
  deps: {
    git: Pick<GitData, "readFile">;
    releases: Pick<Releases, "updateRelease">;
    workflows: Pick<Workflows, "findWorkflowRun" | "dispatchWorkflow">;
  },
  input: { config: Config; tag: string; version: string; commit: string; release: ReleaseRecord },
): Promise<ImagesStart | undefined> => {
  const { git, releases, workflows } = deps;
  const { images } = input.config.ship;
  if (images.mode === "off") return undefined;
  const recorded = imagesStateOf(input.release.body);
  if (images.mode === "release-event") {
    if (!recorded)
      await releases.updateRelease(input.release.id, {
        body: withImagesBlock(input.release.body, { kind: "release-event" }),
      });
    return { note: "built by the release-event workflow when the release is published" };
  }
  let run = await workflows.findWorkflowRun(images.workflow, input.commit);
  if (!run && (await git.readFile(input.commit, `.github/workflows/${images.workflow}`)) === undefined)
    return {
      problem: `No workflow \`.github/workflows/${images.workflow}\` in ${input.tag}: no images were built.`,
    };
  if (!run) {
    try {
      run =
        (await workflows.dispatchWorkflow(images.workflow, images.ref ?? input.tag, {
          version: input.version,
        })) ?? (await workflows.findWorkflowRun(images.workflow, input.commit));
    } catch (error) {
      return { problem: `Could not dispatch \`${images.workflow}\` (GitHub answered ${statusOf(error)}).` };
    }
  }
  if (!run) return { problem: `\`${images.workflow}\` was dispatched but its run was not found yet.` };
  if (!recorded)
    await releases.updateRelease(input.release.id, {
      body: withImagesBlock(input.release.body, { kind: "dispatched", runUrl: run.url }),
    });
  return { runUrl: run.url };
};

export interface CompletedRun {
  /** `.github/workflows/publish-images.yml` */
  path: string;
  /** The tag the run was dispatched on (or triggered by). */
  headBranch: string | null;
  conclusion: string | null;
  url: string;
}

/** Whether a finished workflow run is the configured image-publishing workflow. */
export const isImagesRun = (config: Config, run: CompletedRun): boolean =>
  config.ship.images.mode !== "off" && run.path === `.github/workflows/${config.ship.images.workflow}`;

/**
 * A finished image-publishing run: on success the release notes record every image tag
 * (`1.2.0`, `1.2`, `1`, `latest`) and, if configured, the draft is published; on failure they say so.
 */
export const recordPublishedImages = async (
  deps: { releases: Pick<Releases, "findRelease" | "updateRelease"> },
  input: { config: Config; run: CompletedRun },
): Promise<Outcome> => {
  const { releases } = deps;
  const { config, run } = input;
  if (!isImagesRun(config, run)) return outcome("ignored");
  const tag = parseTagName(run.headBranch ?? "", config.release.tagPrefix);
  if (isParseError(tag)) return outcome("ignored", `run on ${run.headBranch ?? "?"} is not on a release tag`);
  const release = await releases.findRelease(tag.toString());
  if (!release) return outcome("not-found", `no GitHub release for ${tag.toString()}`);
  if (imagesStateOf(release.body) === "published") return outcome("already-done");
  const version = tag.version.toString();
  if (run.conclusion !== "success") {
    await releases.updateRelease(release.id, {
      body: withImagesBlock(release.body, {
        kind: "failed",
        runUrl: run.url,
        conclusion: run.conclusion ?? "unknown",
      }),
    });
    return outcome(
      "failed",
      `image publishing for ${tag.toString()} ended with ${run.conclusion ?? "unknown"}`,
    );
  }
  const images = serviceImages(config).map((i) => i.image);
  const body = withImagesBlock(release.body, { kind: "published", runUrl: run.url, images, version });
  const publish = release.draft && config.ship.release.publish === "after-images";
  await releases.updateRelease(release.id, { body, ...(publish ? { draft: false } : {}) });
  return outcome("done", `images of ${tag.toString()} recorded${publish ? "; release published" : ""}`);
};
