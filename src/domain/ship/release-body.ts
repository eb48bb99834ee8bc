import { getSection, parseChangelog } from "../changelog/parse-changelog.js";
import { renderReleaseNotes } from "../changelog/render-release-notes.js";
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
}

/** The compare link of a release: previous tag to this one, or the tag itself for a first release. */
const compareUrl = (repoUrl: string, tagPrefix: string, version: string, previous?: string) =>
  previous
    ? `${repoUrl}/compare/${tagPrefix}${previous}...${tagPrefix}${version}`
    : `${repoUrl}/releases/tag/${tagPrefix}${version}`;

/** The GitHub release body: the CHANGELOG section through the notes template. */
export const buildReleaseBody = (input: ReleaseBodyInput): string => {
  const section = getSection(parseChangelog(input.changelog), input.version) ?? "";
  const notes = renderReleaseNotes(
    {
      version: input.version,
      section,
      images: input.images,
      contributors: input.contributors,
      compareUrl: compareUrl(input.repoUrl, input.tagPrefix, input.version, input.previousVersion),
    },
    input.template,
  );
  return input.lead ? `> ${input.lead}\n\n${notes}` : notes;
};

/** Where image publishing stands, recorded in the release body. */
export type ImagesState =
  | { kind: "dispatched"; runUrl: string }
  | { kind: "release-event" }
  | { kind: "published"; runUrl: string; images: readonly string[]; version: string }
  | { kind: "failed"; runUrl: string; conclusion: string };

const IMAGES_START = "<!-- release-pilot:images:start -->";
const IMAGES_END = "<!-- release-pilot:images:end -->";

const renderImagesBlock = (state: ImagesState): string => {
  const lines = [IMAGES_START, "### 🏗️ Image publishing"];
  switch (state.kind) {
    case "dispatched":
      lines.push(`Building and pushing the images: [workflow run](${state.runUrl}).`);
      break;
    case "release-event":
      lines.push("The images are built and pushed by the workflow that runs when this release is published.");
      break;
    case "published": {
      const tags = imageTags(state.version);
      lines.push(
        `Published by [workflow run](${state.runUrl}) with tags ${tags.map((t) => `\`${t}\``).join(", ")}:`,
        ...state.images.flatMap((image) => tags.map((t) => `- \`${image}:${t}\``)),
      );
      break;
    }
    case "failed":
      lines.push(
        `⚠️ The [workflow run](${state.runUrl}) ended with **${state.conclusion}**: no images were recorded.`,
      );
      break;
  }
  lines.push(IMAGES_END);
  return lines.join("\n");
};

/** The body with its image block replaced, or appended when it has none. */
export const withImagesBlock = (body: string, state: ImagesState): string => {
  const block = renderImagesBlock(state);
  const start = body.indexOf(IMAGES_START);
  const end = body.indexOf(IMAGES_END);
  if (start >= 0 && end > start) return body.slice(0, start) + block + body.slice(end + IMAGES_END.length);
  return `${body.trimEnd()}\n\n${block}\n`;
};

/** The image state a body records, to leave a finished one alone on redelivery. */
export const imagesStateOf = (body: string): ImagesState["kind"] | undefined => {
  const start = body.indexOf(IMAGES_START);
  if (start < 0) return undefined;
  const block = body.slice(start, body.indexOf(IMAGES_END, start));
  if (block.includes("Published by")) return "published";
  if (block.includes("⚠️")) return "failed";
  if (block.includes("when this release is published")) return "release-event";
  return "dispatched";
};
