import type { Config } from "../../config/schema.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { imagesStateOf, withImagesBlock } from "../../domain/ship/release-body.js";
import { parseWorkflowTriggers } from "../../domain/ship/workflow-triggers.js";
import { parseTagName } from "../../domain/version/tag-name.js";
import type { GitData } from "../../ports/git-data.js";
import type { ReleaseRecord, Releases } from "../../ports/releases.js";
import type { Workflows } from "../../ports/workflows.js";
import { serviceImages } from "./ensure-release.js";

export type ImagesStart = { runUrl: string } | { note: string } | { problem: string };

const statusOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "status" in error ? String(error.status) : "an error";

/**
 * GitHub answers a dispatch of a workflow without the trigger with 422 "Workflow does not have
 * 'workflow_dispatch' trigger" ("Create a workflow dispatch event": the workflow must be
 * configured to run on `workflow_dispatch`).
 */
const lacksDispatchTrigger = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  "status" in error &&
  error.status === 422 &&
  "message" in error &&
  typeof error.message === "string" &&
  error.message.includes("workflow_dispatch");

/** The guide's workflow runs on `release: published`: the note when it cannot be dispatched. */
const fallbackNote = (workflow: string, release: ReleaseRecord, config: Config): string => {
  const start = release.draft
    ? config.ship.release.publish === "after-images"
      ? " Publish the draft release to start it (it is not published by itself while it waits for images)."
      : " Publish the draft release to start it."
    : "";
  return `\`${workflow}\` has no \`workflow_dispatch\` trigger, so I did not dispatch it: its \`release\` trigger builds the images when the release is published.${start} Add a \`workflow_dispatch\` trigger to have them built on merge (see the README).`;
};

/**
 * Step 7: the images of a release. In `workflow` mode the configured workflow is dispatched
 * with the version (once: a run already there for the commit is reused) and the release notes
 * link the run; in `release-event` mode the notes say the release event builds them. A workflow
 * that cannot be dispatched (no `workflow_dispatch` trigger, as in the release guide's own) but
 * runs on the release event falls back to it, and the notes and the reply say so.
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
  const names = serviceImages(input.config).map((i) => i.image);
  const releaseEvent = async (fallback?: string): Promise<ImagesStart> => {
    if (!recorded)
      await releases.updateRelease(input.release.id, {
        body: withImagesBlock(input.release.body, {
          kind: "release-event",
          images: names,
          version: input.version,
          fallback,
        }),
      });
    return { note: fallback ?? "built by the release-event workflow when the release is published" };
  };
  if (images.mode === "release-event") return releaseEvent();
  if (recorded === "release-event")
    return { note: "built by the release-event workflow when the release is published" };
  const path = `.github/workflows/${images.workflow}`;
  let run = await workflows.findWorkflowRun(images.workflow, input.commit);
  if (!run) {
    const text = await git.readFile(input.commit, path);
    if (text === undefined)
      return { problem: `No workflow \`${path}\` in ${input.tag}: no images were built.` };
    const triggers = parseWorkflowTriggers(text);
    const fallback = fallbackNote(images.workflow, input.release, input.config);
    if (triggers && !triggers.events.has("workflow_dispatch")) {
      if (triggers.events.has("release")) return releaseEvent(fallback);
      return {
        problem: `\`${path}\` has neither a \`workflow_dispatch\` nor a \`release\` trigger: no images were built. Add the \`workflow_dispatch\` block the README shows.`,
      };
    }
    // Only the inputs the workflow declares: GitHub refuses a dispatch with any other (422).
    const inputs: Record<string, string> =
      triggers && !triggers.dispatchInputs.has("version") ? {} : { version: input.version };
    try {
      run =
        (await workflows.dispatchWorkflow(images.workflow, images.ref ?? input.tag, inputs)) ??
        (await workflows.findWorkflowRun(images.workflow, input.commit));
    } catch (error) {
      if (lacksDispatchTrigger(error) && (!triggers || triggers.events.has("release")))
        return releaseEvent(fallback);
      return { problem: `Could not dispatch \`${images.workflow}\` (GitHub answered ${statusOf(error)}).` };
    }
  }
  if (!run) return { problem: `\`${images.workflow}\` was dispatched but its run was not found yet.` };
  if (!recorded)
    await releases.updateRelease(input.release.id, {
      body: withImagesBlock(input.release.body, {
        kind: "dispatched",
        runUrl: run.url,
        images: names,
        version: input.version,
      }),
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
 * A finished image-publishing run: on success the release notes list each image once with the
 * tags the version gets (`1.2.0`, `1.2`, `1`, `latest`, labelled expected: GitHub's API does not
 * expose what a run pushed) and, if configured, the draft is published; on failure they say so.
 */
export const recordPublishedImages = async (
  deps: { releases: Pick<Releases, "findRelease" | "updateRelease"> },
  input: { config: Config; run: CompletedRun },
): Promise<Outcome> => {
  const { releases } = deps;
  const { config, run } = input;
  if (!isImagesRun(config, run)) return outcome("ignored");
  const parsedTag = parseTagName(run.headBranch ?? "", config.release.tagPrefix);
  if (!parsedTag.ok) return outcome("ignored", `run on ${run.headBranch ?? "?"} is not on a release tag`);
  const tag = parsedTag.value;
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
