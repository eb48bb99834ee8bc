import { detectChangelogStyle } from "./changelog-style.js";
import { parseChangelog } from "./parse-changelog.js";
import { trimTrailingSlashes } from "../trailing-slashes.js";

export interface CompareLinkInput {
  version: string;
  previousVersion?: string | undefined;
  tagPrefix?: string;
  /**
   * `https://github.com/owner/repo`: the repository itself (the API's `html_url`, or the
   * `origin` remote for the CLI). Links already in the file are used only when it is unknown.
   */
  repoUrl?: string | undefined;
  /** A file the release creates: it gets the Keep a Changelog links block. */
  created?: boolean;
}

export interface CompareLinkEdit {
  text: string;
  /** Set when no base URL was known, so the links were left as they were. */
  warning?: string;
}

const BASE = /^(https?:\/\/\S+?)\/(?:compare|releases\/tag|tree|commits?)\//;

/** The repository URL the file's existing links (reference links or inline heading links) point at, if any. */
const findLinkBase = (text: string): string | undefined => {
  const changelog = parseChangelog(text);
  const urls = [
    ...changelog.links.map((l) => l.url),
    ...changelog.releases.map((r) => /\]\(([^)\s]+)\)/.exec(r.heading)?.[1] ?? ""),
  ];
  for (const url of urls) {
    const base = BASE.exec(url)?.[1];
    if (base) return base;
  }
  return undefined;
};

/** The repository base for links: the repository's own URL first, else the file's links. */
export const linkBase = (text: string, repoUrl: string | undefined): string | undefined =>
  (repoUrl && trimTrailingSlashes(repoUrl.replace(/\.git$/, ""))) || findLinkBase(text);

/** A version's link: the compare range from the previous tag, or the tag's release page. */
export const versionUrl = (
  base: string,
  input: Pick<CompareLinkInput, "version" | "previousVersion" | "tagPrefix">,
  kind: "compare" | "tag" = "compare",
): string => {
  const prefix = input.tagPrefix ?? "v";
  const tag = `${prefix}${input.version}`;
  return input.previousVersion && kind === "compare"
    ? `${base}/compare/${prefix}${input.previousVersion}...${tag}`
    : `${base}/releases/tag/${tag}`;
};

/**
 * Maintains the reference links of a file that has them: `[Unreleased]` now compares from the
 * new tag to HEAD, and a `[version]` link is added next to the previous version's (where the
 * file keeps them), of the kind the file uses. A file without version links gets none.
 */
export const updateCompareLinks = (text: string, input: CompareLinkInput): CompareLinkEdit => {
  const changelog = parseChangelog(text);
  const { eol } = changelog;
  const style = detectChangelogStyle(changelog);
  const unreleased = changelog.links.find((l) => /^unreleased$/i.test(l.label));
  if (!style.versionLinks && !unreleased && !input.created) return { text };
  const base = linkBase(text, input.repoUrl);
  if (!base) return { text, warning: "No repository URL known: CHANGELOG compare links left unchanged." };
  const prefix = input.tagPrefix ?? "v";
  const tag = `${prefix}${input.version}`;
  const unreleasedUrl = `${base}/compare/${tag}...HEAD`;
  const hasVersion = changelog.links.some((l) => l.label.replace(/^v/, "") === input.version);
  const label = changelog.links.some((l) => /^v\d/.test(l.label)) ? `v${input.version}` : input.version;
  const versionLine = hasVersion ? "" : `[${label}]: ${versionUrl(base, input, style.linkKind)}${eol}`;
  if (unreleased) {
    const lineEnds = text.slice(unreleased.start, unreleased.end).endsWith("\n");
    return {
      text:
        text.slice(0, unreleased.urlStart) +
        unreleasedUrl +
        text.slice(unreleased.urlEnd, unreleased.end) +
        (lineEnds || versionLine === "" ? "" : eol) +
        (lineEnds ? versionLine : versionLine.slice(0, -eol.length)) +
        text.slice(unreleased.end),
    };
  }
  // Next to the newest version's link (files list them newest first), else after the last one.
  const linkOf = (name: string) => changelog.links.find((l) => l.label.replace(/^v/, "") === name);
  const newest = changelog.releases
    .filter((r) => r.name !== "Unreleased" && r.name !== input.version)
    .map((r) => linkOf(r.name))
    .find((l) => l !== undefined);
  if (newest) return { text: text.slice(0, newest.start) + versionLine + text.slice(newest.start) };
  const last = changelog.links.filter((l) => /^v?\d/.test(l.label)).at(-1);
  if (!last) {
    const block = `[Unreleased]: ${unreleasedUrl}${eol}${versionLine}`;
    const lead = text.endsWith(`${eol}${eol}`) ? "" : text.endsWith(eol) ? eol : eol + eol;
    return { text: text + lead + block };
  }
  const lineEnds = text.slice(last.start, last.end).endsWith("\n");
  return {
    text:
      text.slice(0, last.end) +
      (lineEnds ? versionLine : eol + versionLine.slice(0, -eol.length)) +
      text.slice(last.end),
  };
};
