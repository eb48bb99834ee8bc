/** The guide's "Release Notes Template"; config may replace it (same placeholders). */
export const DEFAULT_RELEASE_NOTES_TEMPLATE = `## 🎉 Release v{{version}}

{{sections}}

### 📦 Docker Images
{{images}}

### 🙏 Contributors
{{contributors}}

**Full Changelog**: {{compareUrl}}
`;

/** Keep a Changelog section → the guide's emoji heading; unknown headings keep their name. */
const RELEASE_NOTES_HEADINGS: Record<string, string> = {
  Added: "🚀 New Features",
  Changed: "📈 Changes",
  Deprecated: "⚠️ Deprecated",
  Removed: "🗑️ Removed",
  Fixed: "🐛 Bug Fixes",
  Security: "🔒 Security",
};

export interface ReleaseNotesInput {
  version: string;
  /** The CHANGELOG notes of the release (`### Added` … groups). */
  section: string;
  images: readonly { service: string; image: string }[];
  contributors: readonly string[];
  compareUrl: string;
  /** The `{{images}}` value when the caller renders it (the release body's image block); else the image list. */
  imagesMarkdown?: string | undefined;
}

const BREAKING = /\*\*Breaking:\*\*\s*/;

/**
 * Rewrites `### Added` style headings to the emoji headings and gathers the lines marked
 * **Breaking:** (by generated notes) under ⚙️ Breaking Changes; sections left empty are dropped.
 */
const renderSections = (section: string): string => {
  let current: { heading: string | undefined; lines: string[] } = { heading: undefined, lines: [] };
  const groups = [current];
  const breaking: string[] = [];
  for (const line of section.trim().split("\n")) {
    const title = /^###\s+(\S.*)$/.exec(line.trimEnd())?.[1];
    if (title !== undefined) {
      current = { heading: `### ${RELEASE_NOTES_HEADINGS[title] ?? title}`, lines: [] };
      groups.push(current);
    } else if (BREAKING.test(line)) breaking.push(line.replace(BREAKING, ""));
    else current.lines.push(line);
  }
  if (breaking.length > 0) groups.push({ heading: "### ⚙️ Breaking Changes", lines: breaking });
  return groups
    .map((g) => ({ ...g, body: g.lines.join("\n").trim() }))
    .filter((g) => g.body !== "")
    .map((g) => (g.heading === undefined ? g.body : `${g.heading}\n${g.body}`))
    .join("\n\n");
};

/** `ghcr.io/o/api` → `ghcr.io/o/api:1.2.0`; an image that already has a tag is kept. */
const withTag = (image: string, version: string): string =>
  image.slice(image.lastIndexOf("/") + 1).includes(":") ? image : `${image}:${version}`;

/** The guide's image list: one `image:version` line per service image. */
export const renderImageList = (images: ReleaseNotesInput["images"], version: string): string =>
  images.map((i) => `- \`${withTag(i.image, version)}\``).join("\n") || "- None";

/** Renders the GitHub release body from a template with `{{version}}`, `{{sections}}`, `{{images}}`, `{{contributors}}`, `{{compareUrl}}`. */
export const renderReleaseNotes = (
  input: ReleaseNotesInput,
  template = DEFAULT_RELEASE_NOTES_TEMPLATE,
): string => {
  const values: Record<string, string> = {
    version: input.version,
    sections: renderSections(input.section) || "_No notable changes._",
    images: input.imagesMarkdown ?? renderImageList(input.images, input.version),
    contributors:
      input.contributors.map((c) => `- ${c.startsWith("@") ? c : `@${c}`}`).join("\n") || "- None",
    compareUrl: input.compareUrl,
  };
  // One pass, so a placeholder-looking text inside a value is never expanded again.
  // An own property only: `{{constructor}}` names no value and stays as written.
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? match) : match,
  );
};
