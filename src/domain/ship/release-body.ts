import { capNotes, MAX_RELEASE_BODY } from "../changelog/cap-notes.js";
import { getSection, parseChangelog } from "../changelog/parse-changelog.js";
import {
  DEFAULT_RELEASE_NOTES_TEMPLATE,
  renderImageList,
  renderReleaseNotes,
} from "../changelog/render-release-notes.js";
import { imageTags } from "./image-tags.js";

export interface ReleaseBodyInput {
  version: string;
  previousVersion?: string | undefined;
  tagPrefix: string;
  repoUrl: string;
  /** The CHANGELOG text at the merge commit. */
  changelog: string;
  /** Service images (`ghcr.io/o/api`) of the release. */
  images: readonly { service: string; image: string }[];
  contributors: readonly string[];
  /** Config's release notes template; absent: the guide's. */
  template?: string | undefined;
  /** A line put first (e.g. "Rollback to v1.1.0 state"). */
  lead?: string | undefined;
  /** Where the whole CHANGELOG is (the file at the tag), named when the notes are cut to fit. */
  changelogUrl?: string | undefined;
}

/** Room kept below GitHub's limit for the image block publishing writes in later, and headings. */
const BODY_ROOM = 15_000;

/** The compare link of a release: previous tag to this one, or the tag itself for a first release. */
const compareUrl = (repoUrl: string, tagPrefix: string, version: string, previous?: string) =>
  previous
    ? `${repoUrl}/compare/${tagPrefix}${previous}...${tagPrefix}${version}`
    : `${repoUrl}/releases/tag/${tagPrefix}${version}`;

/** A template line holding only `{{images}}`: the image block can take its place. */
const IMAGES_LINE = /^[ \t]*\{\{\s*images\s*\}\}[ \t]*$/m;

/**
 * The GitHub release body: the CHANGELOG section through the notes template. When the template
 * gives `{{images}}` a line of its own (the guide's does, under "📦 Docker Images"), the image
 * list sits between the image block's markers, so publishing later rewrites that list in place:
 * each image is listed once.
 */
export const buildReleaseBody = (input: ReleaseBodyInput): string => {
  const template = input.template ?? DEFAULT_RELEASE_NOTES_TEMPLATE;
  // The notes fill what GitHub's release body limit leaves after the template, with room to spare.
  const section = capNotes(
    getSection(parseChangelog(input.changelog), input.version) ?? "",
    MAX_RELEASE_BODY -
      BODY_ROOM -
      template.length -
      (input.lead?.length ?? 0) -
      input.contributors.reduce((n, c) => n + c.length + 4, 0) -
      input.images.reduce((n, i) => n + i.image.length + input.version.length + 8, 0),
    {
      label: `the CHANGELOG at ${input.tagPrefix}${input.version}`,
      url: input.changelogUrl ?? `${input.repoUrl}/releases/tag/${input.tagPrefix}${input.version}`,
    },
  );
  const notes = renderReleaseNotes(
    {
      version: input.version,
      section,
      images: input.images,
      contributors: input.contributors,
      compareUrl: compareUrl(input.repoUrl, input.tagPrefix, input.version, input.previousVersion),
      ...(IMAGES_LINE.test(template)
        ? {
            imagesMarkdown: [IMAGES_START, renderImageList(input.images, input.version), IMAGES_END].join(
              "\n",
            ),
          }
        : {}),
    },
    template,
  );
  return input.lead ? `> ${input.lead}\n\n${notes}` : notes;
};

/** Where image publishing stands, recorded in the release body. */
export type ImagesState =
  | { kind: "dispatched"; runUrl: string; images: readonly string[]; version: string }
  | {
      kind: "release-event";
      images: readonly string[];
      version: string;
      /** Why the configured workflow was not dispatched (it has no `workflow_dispatch` trigger). */
      fallback?: string | undefined;
    }
  | { kind: "published"; runUrl: string; images: readonly string[]; version: string }
  | { kind: "failed"; runUrl: string; conclusion: string };

export const IMAGES_START = "<!-- release-pilot:images:start -->";
export const IMAGES_END = "<!-- release-pilot:images:end -->";
const IMAGES_HEADING = "### 📦 Docker Images";

/**
 * One line per image with every tag the guide's workflow gives a version (docker/metadata-action's
 * semver patterns and `latest`). They are computed, not read back: GitHub's REST API exposes no
 * job outputs or pushed tags of a workflow run, so the block calls them expected tags and links
 * the run, whose log lists what was pushed.
 */
const expectedTags = (images: readonly string[], version: string): string[] => {
  const tags = imageTags(version).map((t) => `\`${t}\``);
  return images.length === 0
    ? ["- None"]
    : images.map((image) => `- \`${image}\`${tags.length > 0 ? `: ${tags.join(", ")}` : ""}`);
};

/** The block's content between its markers: where publishing stands, then each image once. */
export const renderImagesBlock = (state: ImagesState): string => {
  const lines = [IMAGES_START];
  switch (state.kind) {
    case "dispatched":
      lines.push(
        `⏳ Building and pushing the images: [workflow run](${state.runUrl}). Expected tags:`,
        "",
        ...expectedTags(state.images, state.version),
      );
      break;
    case "release-event":
      lines.push(
        state.fallback
          ? `${state.fallback} The images are built and pushed by the workflow that runs when this release is published. Expected tags:`
          : "The images are built and pushed by the workflow that runs when this release is published. Expected tags:",
        "",
        ...expectedTags(state.images, state.version),
      );
      break;
    case "published":
      lines.push(
        `✅ Published by the [workflow run](${state.runUrl}) (its log lists each pushed tag). Expected tags:`,
        "",
        ...expectedTags(state.images, state.version),
      );
      break;
    case "failed":
      lines.push(
        `⚠️ The [workflow run](${state.runUrl}) ended with **${state.conclusion}**: no images were recorded.`,
      );
      break;
  }
  lines.push(IMAGES_END);
  return lines.join("\n");
};

/** The "**Full Changelog**: …" footer line of the guide's template: it stays last. */
const FOOTER = /^\*\*Full Changelog\*\*/gm;

/**
 * The body with its image block replaced; a body without one gets it, under its heading, before
 * the "Full Changelog" footer (else at the end). Nothing outside the markers changes.
 */
export const withImagesBlock = (body: string, state: ImagesState): string => {
  const block = renderImagesBlock(state);
  const start = body.indexOf(IMAGES_START);
  const end = start < 0 ? -1 : body.indexOf(IMAGES_END, start);
  if (start >= 0 && end > start) return body.slice(0, start) + block + body.slice(end + IMAGES_END.length);
  const section = `${IMAGES_HEADING}\n${block}`;
  const footer = [...body.matchAll(FOOTER)].at(-1)?.index;
  if (footer === undefined) return `${body.trimEnd()}\n\n${section}\n`;
  const before = body.slice(0, footer).trimEnd();
  return `${before === "" ? "" : `${before}\n\n`}${section}\n\n${body.slice(footer)}`;
};

/** The image state a body records, to leave a finished one alone on redelivery; undefined: none yet. */
export const imagesStateOf = (body: string): ImagesState["kind"] | undefined => {
  const start = body.indexOf(IMAGES_START);
  if (start < 0) return undefined;
  const end = body.indexOf(IMAGES_END, start);
  const block = body.slice(start, end < 0 ? undefined : end);
  if (block.includes("Published by")) return "published";
  if (block.includes("⚠️")) return "failed";
  if (block.includes("when this release is published")) return "release-event";
  if (block.includes("Building and pushing")) return "dispatched";
  // The image list the notes start with: publishing has not been recorded yet.
  return undefined;
};
