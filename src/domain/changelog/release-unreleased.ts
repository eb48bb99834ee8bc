import { findRelease, parseChangelog, type Changelog } from "./parse-changelog.js";

export interface ChangelogEdit {
  text: string;
  /** The notes now under the new release heading. */
  section: string;
}

export interface ChangelogError {
  kind: "changelog-error";
  code: "already-released" | "nothing-to-release";
  message: string;
}

export const isChangelogError = (value: unknown): value is ChangelogError =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "changelog-error";

/** The header of a changelog created from nothing. */
export const NEW_CHANGELOG =
  "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n" +
  "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\n" +
  "and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n";

/**
 * Moves the notes under `## [Unreleased]` into `## [version] - date` (leaving an empty
 * Unreleased heading above it). When Unreleased is empty, `notes` (generated) are used.
 * Only the Unreleased body is rewritten; every other byte stays.
 */
export const releaseUnreleased = (
  changelog: Changelog,
  version: string,
  date: string,
  notes?: string,
): ChangelogEdit | ChangelogError => {
  const { text, eol } = changelog;
  if (findRelease(changelog, version)) {
    return {
      kind: "changelog-error",
      code: "already-released",
      message: `CHANGELOG already has a ${version} section`,
    };
  }
  const unreleased = findRelease(changelog, "Unreleased");
  const body = unreleased ? text.slice(unreleased.headingEnd, unreleased.end) : "";
  const section = (body.trim() !== "" ? body : (notes ?? "")).trim().replace(/\r?\n/g, eol);
  if (section === "") {
    return {
      kind: "changelog-error",
      code: "nothing-to-release",
      message: "no notes under Unreleased and none generated",
    };
  }
  const heading = `## [${version}] - ${date}${eol}${eol}${section}${eol}`;
  const release = `${heading}${eol}`;
  if (unreleased) {
    const headingHasEol = text.slice(unreleased.headingStart, unreleased.headingEnd).endsWith("\n");
    const splice = `${headingHasEol ? "" : eol}${eol}${release}`;
    return { text: text.slice(0, unreleased.headingEnd) + splice + text.slice(unreleased.end), section };
  }
  const at = changelog.releases[0]?.headingStart ?? changelog.footerStart;
  const before = text.slice(0, at);
  const lead = before === "" || before.endsWith(`${eol}${eol}`) ? "" : before.endsWith(eol) ? eol : eol + eol;
  // At the very end of the file, no blank line is left dangling after the new section.
  const tail = at === text.length ? heading : release;
  return { text: `${before}${lead}## [Unreleased]${eol}${eol}${tail}${text.slice(at)}`, section };
};

/** Convenience for plain text in, plain text out. */
export const releaseChangelogText = (text: string, version: string, date: string, notes?: string) =>
  releaseUnreleased(parseChangelog(text === "" ? NEW_CHANGELOG : text), version, date, notes);
