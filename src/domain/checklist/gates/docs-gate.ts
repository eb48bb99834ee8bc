import { findChangelogSection } from "../changelog-section.js";
import { matchesGlob } from "../../glob.js";
import type { ChecklistSettings } from "../checklist-settings.js";
import type { DocsInput, GateRow, Verdict } from "../types.js";
import { statusOf } from "./rows.js";
import { renderUserText } from "../../user-text.js";

/** The longest CHANGELOG read (1 MiB of text); a longer one fails the gate unread. */
export const MAX_CHANGELOG_LENGTH = 1_048_576;

/** The CHANGELOG has a non-empty section for the version; the named docs changed since the last release. */
export const evaluateDocs = (input: DocsInput, config: ChecklistSettings): Verdict => {
  const path = config.docs.changelog;
  const rows: GateRow[] = [];
  const advice: string[] = [];
  if (input.changelog === null) {
    rows.push({
      item: path,
      measured: "file not found",
      threshold: `section [${input.version}]`,
      state: "missing",
    });
    advice.push(`Add ${path} with a \`## [${input.version}]\` section.`);
  } else if (input.changelog.length > MAX_CHANGELOG_LENGTH) {
    rows.push({
      item: path,
      measured: `longer than ${String(MAX_CHANGELOG_LENGTH)} characters: not read`,
      threshold: `non-empty [${input.version}] section`,
      state: "error",
    });
    advice.push(`Move old releases out of ${path}: it is too large to read.`);
  } else {
    const section = findChangelogSection(input.changelog, input.version);
    const ok = section !== null && section.entries.length > 0;
    rows.push({
      item: path,
      measured:
        section === null ? `no [${input.version}] section` : `${String(section.entries.length)} entries`,
      threshold: `non-empty [${input.version}] section`,
      state: ok ? "pass" : "fail",
    });
    if (!ok)
      advice.push(
        `Write the changes of ${input.version} under \`## [${input.version}] - <date>\` in ${path}.`,
      );
  }
  for (const pattern of config.docs.files) {
    if (input.lastTag === null) {
      rows.push({
        item: renderUserText(pattern),
        measured: "first release: nothing to compare",
        threshold: "updated since last release",
        state: "pass",
      });
      continue;
    }
    const changed = input.changedFiles.some((f) => matchesGlob(pattern, f, "path"));
    rows.push({
      item: renderUserText(pattern),
      measured: changed ? `changed since ${input.lastTag}` : `unchanged since ${input.lastTag}`,
      threshold: "updated since last release",
      state: changed ? "pass" : "fail",
      link: input.compareUrl,
    });
    if (!changed)
      advice.push(
        `Update ${renderUserText(pattern)} for this release (it has not changed since ${input.lastTag}).`,
      );
  }
  const status = statusOf(rows);
  // The title is plain text (no code spans): the names as written.
  const notReady = [path, ...config.docs.files].filter((_, i) => rows[i]?.state !== "pass");
  const title =
    status === "pass"
      ? `Changelog and docs updated for ${input.version}`
      : `Docs not ready: ${notReady.join(", ")}`;
  return { status, title, rows, advice };
};
