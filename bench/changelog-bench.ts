import changelogParser from "changelog-parser";
import { parser as keepAChangelogParser } from "keep-a-changelog";
import { updateCompareLinks } from "../src/domain/changelog/compare-links.js";
import { parseChangelog } from "../src/domain/changelog/parse-changelog.js";
import { releaseUnreleased } from "../src/domain/changelog/release-unreleased.js";
import { generateChangelog } from "./generate-changelog.js";
import { bestOf, round } from "./stats.js";

export interface ChangelogFigures {
  releases: number;
  sizeMb: number;
  oursMs: number;
  keepAChangelogMs: number;
  changelogParserMs: number;
  speedupVsKeepAChangelog: number;
  speedupVsChangelogParser: number;
}

/** Ours: what `/release` does to the file — parse, release Unreleased, rewrite compare links. */
const ours = (text: string): string => {
  const changelog = parseChangelog(text);
  const edit = releaseUnreleased(changelog, "999.0.0", "2025-01-15");
  if (!edit.ok) throw new Error(`bench changelog: ${edit.error.message}`);
  const newest = changelog.releases.find((r) => r.name !== "Unreleased")?.name;
  return updateCompareLinks(edit.value.text, { version: "999.0.0", previousVersion: newest }).text;
};

/**
 * Our CHANGELOG engine against the two npm parsers on the same generated file, in the same
 * process, best of `runs`. The peers only parse; ours parses, edits and renders.
 */
export const benchChangelog = async (releases = 3000, runs = 5): Promise<ChangelogFigures> => {
  const text = generateChangelog(releases);
  const edited = ours(text);
  if (!edited.includes("## [999.0.0] - 2025-01-15"))
    throw new Error("bench changelog: the edit did not happen");
  const peers = keepAChangelogParser(text);
  if (peers.releases.length < releases) throw new Error("bench changelog: keep-a-changelog lost releases");
  const parsed = await changelogParser({ text });
  if (parsed.versions.length < releases) throw new Error("bench changelog: changelog-parser lost releases");
  const oursMs = await bestOf(runs, () => ours(text));
  const keepAChangelogMs = await bestOf(runs, () => keepAChangelogParser(text));
  const changelogParserMs = await bestOf(runs, () => changelogParser({ text }));
  return {
    releases,
    sizeMb: round(Buffer.byteLength(text) / 1024 ** 2),
    oursMs: round(oursMs),
    keepAChangelogMs: round(keepAChangelogMs),
    changelogParserMs: round(changelogParserMs),
    speedupVsKeepAChangelog: round(keepAChangelogMs / oursMs),
    speedupVsChangelogParser: round(changelogParserMs / oursMs),
  };
};
