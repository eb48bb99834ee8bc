import { detectChangelogStyle, renderReleaseHeading, styleNotes } from "./changelog-style.js";
import { findRelease, parseChangelog, type Changelog } from "./parse-changelog.js";
import { readUnreleased } from "./read-unreleased.js";
import { fail, ok, type Result } from "../result.js";

export interface ChangelogEdit {
  text: string;
  /** The notes now under the new release heading. */
  section: string;
  source: NotesSource;
}

/** Why a CHANGELOG cannot be released (the caller branches on `code`). */
export interface ChangelogError {
  code: "already-released" | "nothing-to-release";
  message: string;
}

/** The header of a changelog created from nothing. */
export const NEW_CHANGELOG =
  "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n" +
  "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\n" +
  "and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n" +
  "## [Unreleased]\n\n";

/** Where the notes of a release came from, and why. */
export interface NotesSource {
  from: "unreleased" | "commits";
  reason: string;
}

/**
 * Releases the CHANGELOG in the file's own style. The entries under `## [Unreleased]` (read as
 * Markdown: rules, empty sub-headings, comments and placeholders are no entries; a roadmap
 * section stays) move under a new heading shaped like the newest one (brackets, `v`, dash,
 * date format, inline link); when Unreleased has no entries, `notes` (generated) are used and
 * Unreleased is left as it was. A file without an Unreleased heading gets none. Only the
 * Unreleased body and the new section are written; every other byte stays.
 */
export const releaseUnreleased = (
  changelog: Changelog,
  version: string,
  date: string,
  notes?: string,
  headingUrl?: string,
): Result<ChangelogEdit, ChangelogError> => {
  const { text, eol } = changelog;
  if (findRelease(changelog, version)) {
    return fail({ code: "already-released", message: `CHANGELOG already has a ${version} section` });
  }
  const style = detectChangelogStyle(changelog);
  const unreleased = findRelease(changelog, "Unreleased");
  const reading = readUnreleased(changelog);
  const fromFile = reading?.notes ?? "";
  const section = (fromFile !== "" ? fromFile : styleNotes(notes ?? "", style)).trim().replace(/\r?\n/g, eol);
  if (section === "") {
    return fail({ code: "nothing-to-release", message: "no notes under Unreleased and none generated" });
  }
  const source: NotesSource =
    fromFile !== ""
      ? { from: "unreleased", reason: "Unreleased holds entries" }
      : { from: "commits", reason: reading?.emptyBecause ?? "the file has no Unreleased section" };
  const heading = renderReleaseHeading(style, version, date, headingUrl);
  const block = `${heading}${eol}${eol}${section}${eol}${style.rule ? `${eol}${style.rule}${eol}` : ""}`;
  if (unreleased && fromFile !== "") {
    const keep = [reading?.keep, style.rule].filter((k) => k !== undefined && k !== "").join(eol + eol);
    const headingHasEol = text.slice(unreleased.headingStart, unreleased.headingEnd).endsWith("\n");
    const head = text.slice(0, unreleased.headingEnd) + (headingHasEol ? "" : eol);
    const body = keep === "" ? "" : `${eol}${keep.replace(/\r?\n/g, eol)}${eol}`;
    const rest = text.slice(unreleased.end);
    const tail = rest !== "" ? block + eol + rest : text.endsWith("\n") ? block : block.slice(0, -eol.length);
    return ok({ text: head + body + eol + tail, section, source });
  }
  const at = unreleased?.end ?? changelog.releases[0]?.headingStart ?? changelog.footerStart;
  return ok({ text: insertBefore(text, at, block, eol), section, source });
};

/** Puts a release block at `at` with one blank line on each side; at the end, the file's last byte decides the trailing newline. */
const insertBefore = (text: string, at: number, block: string, eol: string): string => {
  const before = text.slice(0, at);
  const lead = before === "" || before.endsWith(`${eol}${eol}`) ? "" : before.endsWith(eol) ? eol : eol + eol;
  if (at === text.length) {
    const endsWithEol = text === "" || text.endsWith("\n");
    return before + lead + (endsWithEol ? block : block.slice(0, -eol.length));
  }
  return before + lead + block + eol + text.slice(at);
};

/** Convenience for plain text in, plain text out. */
export const releaseChangelogText = (text: string, version: string, date: string, notes?: string) =>
  releaseUnreleased(parseChangelog(text === "" ? NEW_CHANGELOG : text), version, date, notes);
