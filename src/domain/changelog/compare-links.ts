import { parseChangelog } from "./parse-changelog.js";

export interface CompareLinkInput {
  version: string;
  previousVersion?: string | undefined;
  tagPrefix?: string;
  /** `https://github.com/owner/repo`, used when the file has no links to learn it from. */
  repoUrl?: string | undefined;
}

export interface CompareLinkEdit {
  text: string;
  /** Set when no base URL was known, so the links were left as they were. */
  warning?: string;
}

const BASE = /^(https?:\/\/\S+?)\/(?:compare|releases\/tag|tree|commits?)\//;

/** The repository URL the file's existing links point at, if any. */
export const findLinkBase = (text: string): string | undefined => {
  for (const link of parseChangelog(text).links) {
    const base = BASE.exec(link.url)?.[1];
    if (base) return base;
  }
  return undefined;
};

/**
 * Maintains the compare links at the bottom: `[Unreleased]` now compares from the new tag to
 * HEAD, and a `[version]` link compares the previous tag to the new one. Only those lines change.
 */
export const updateCompareLinks = (text: string, input: CompareLinkInput): CompareLinkEdit => {
  const changelog = parseChangelog(text);
  const { eol } = changelog;
  const prefix = input.tagPrefix ?? "v";
  const base = findLinkBase(text) ?? input.repoUrl?.replace(/\.git$/, "").replace(/(?<!\/)\/+$/, "");
  if (!base) return { text, warning: "No repository URL known: CHANGELOG compare links left unchanged." };
  const tag = `${prefix}${input.version}`;
  const unreleasedUrl = `${base}/compare/${tag}...HEAD`;
  const versionUrl = input.previousVersion
    ? `${base}/compare/${prefix}${input.previousVersion}...${tag}`
    : `${base}/releases/tag/${tag}`;
  const hasVersion = changelog.links.some((l) => l.label.replace(/^v/, "") === input.version);
  const versionLine = hasVersion ? "" : `[${input.version}]: ${versionUrl}${eol}`;
  const unreleased = changelog.links.find((l) => /^unreleased$/i.test(l.label));
  if (unreleased) {
    const lineEnds = text.slice(unreleased.start, unreleased.end).endsWith("\n");
    return {
      text:
        text.slice(0, unreleased.urlStart) +
        unreleasedUrl +
        text.slice(unreleased.urlEnd, unreleased.end) +
        (lineEnds ? "" : eol) +
        versionLine +
        text.slice(unreleased.end),
    };
  }
  const block = `[Unreleased]: ${unreleasedUrl}${eol}${versionLine}`;
  const firstFooterLink = changelog.links.find((l) => l.start >= changelog.footerStart);
  if (firstFooterLink) {
    return { text: text.slice(0, firstFooterLink.start) + block + text.slice(firstFooterLink.start) };
  }
  const lead = text === "" || text.endsWith(`${eol}${eol}`) ? "" : text.endsWith(eol) ? eol : eol + eol;
  return { text: text + lead + block };
};
