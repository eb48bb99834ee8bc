import { capNotes } from "../changelog/cap-notes.js";
import { isJsonObject } from "../json-object.js";
import { fail, ok, type Result } from "../result.js";
import { parseError, type ParseError } from "../version/parse-error.js";
import { parseVersion } from "../version/version.js";
import type { ReleasePlan } from "./release-plan.js";

/** The state a release PR carries in its body, read back by later events. */
export interface ReleasePrState {
  version: string;
  previousVersion?: string;
  /** The issue whose `/release` comment cut it (closed once shipped). */
  issue?: number;
}

const MARKER = /<!--\s*release-pilot:\s*(\{[^\n]*?\})\s*-->/;
/** The release guide's compliance checklist, put in every release PR as a task list. */
const COMPLIANCE_ITEMS = [
  "Security scans passed",
  "Data privacy compliance (GDPR, etc.)",
  "Model fairness evaluated",
  "Documentation updated",
  "Stakeholder approval obtained",
] as const;

/** Where the checklist use-case writes its summary; kept when the body is re-rendered. */
export const CHECKLIST_START = "<!-- release-pilot:checklist:start -->";
export const CHECKLIST_END = "<!-- release-pilot:checklist:end -->";

/**
 * The release PR body: a hidden marker with the version (so state lives in GitHub), the
 * version files changed, the release-notes preview and a placeholder for the checklist.
 */
export const renderReleasePrBody = (
  plan: ReleasePlan,
  checklist?: string,
  issue?: number,
  repoUrl?: string,
): string => {
  const state: ReleasePrState = { version: plan.version };
  if (plan.previousVersion !== undefined) state.previousVersion = plan.previousVersion;
  if (issue !== undefined) state.issue = issue;
  const from = plan.previousVersion ? `\`${plan.previousVersion}\` → ` : "";
  const lines = [
    `<!-- release-pilot: ${JSON.stringify(state)} -->`,
    `## 🚀 Release ${plan.tag}`,
    "",
    `Version: ${from}**\`${plan.version}\`** (starts from ${plan.startsFrom}). Branch \`${plan.branch}\`, tag \`${plan.tag}\` on merge.`,
    "",
    "### 📝 Files",
    "",
    "| File | Change |",
    "| --- | --- |",
    ...plan.files.map(
      (f) =>
        `| \`${f.path}\` | ${f.path === plan.changelog.path ? "release notes" : `${f.fromVersion ?? "?"} → ${plan.version}`} |`,
    ),
  ];
  if (plan.skipped.length > 0) {
    lines.push(
      "",
      "<details><summary>Not edited</summary>",
      "",
      ...plan.skipped.map((s) => `- \`${s.path}\`: ${s.reason}`),
      "",
      "</details>",
    );
  }
  if (plan.warnings.length > 0) lines.push("", "### ⚠️ Warnings", "", ...plan.warnings.map((w) => `- ${w}`));
  lines.push(
    "",
    "### 📋 Release notes preview",
    "",
    `_Notes from ${plan.changelog.notesFrom}._`,
    "",
    NOTES,
    "",
    "### 🛡️ Compliance",
    "",
    "Tick each item once it is true; the Compliance check run follows this list.",
    "",
    ...COMPLIANCE_ITEMS.map((item) => `- [ ] ${item}`),
    "",
    "### ✅ Checklist",
    "",
    CHECKLIST_START,
    checklist ?? "_The release checklist runs on this PR's checks and will appear here._",
    CHECKLIST_END,
    "",
  );
  const frame = lines.join("\n");
  // The notes fill what GitHub's limit leaves, keeping room for the checklist written later.
  const budget = MAX_PULL_BODY - CHECKLIST_ROOM - (frame.length - NOTES.length);
  const at = repoUrl ? `${repoUrl}/blob/${plan.branch}/${plan.changelog.path}` : plan.changelog.path;
  const notes = capNotes(plan.changelog.section, budget, {
    label: `${plan.changelog.path} at ${plan.branch}`,
    url: at,
  });
  return frame.replace(NOTES, () => notes);
};

/** Where the notes go in the body, replaced once the rest of the body is measured. */
const NOTES = "\u0000release-pilot:notes\u0000";
/** Room kept for the checklist section the checklist use-case writes into the body. */
const CHECKLIST_ROOM = 12_000;

/** GitHub refuses a PR body longer than this ("body is too long (maximum is 65536 characters)"). */
export const MAX_PULL_BODY = 65536;

const occurrences = (text: string, marker: string): number => text.split(marker).length - 1;

/**
 * The PR body with the checklist section (between its markers) replaced by `checklist`, or
 * undefined when there is nothing to do: the body has no section (a hotfix PR, or markers the
 * user removed or repeated: then it is not ours to guess), the section already says this, or
 * the result would be longer than GitHub accepts. Text outside the markers is kept byte for byte.
 */
export const withChecklistSection = (body: string, checklist: string): string | undefined => {
  if (occurrences(body, CHECKLIST_START) !== 1 || occurrences(body, CHECKLIST_END) !== 1) return undefined;
  const start = body.indexOf(CHECKLIST_START) + CHECKLIST_START.length;
  const end = body.indexOf(CHECKLIST_END);
  if (end < start) return undefined;
  // The section must not carry a marker of its own, or the next read would cut it short.
  if (checklist.includes("<!--") || checklist.includes("-->")) return undefined;
  const next = `${body.slice(0, start)}\n${checklist}\n${body.slice(end)}`;
  return next === body || next.length > MAX_PULL_BODY ? undefined : next;
};

/**
 * Whether two versions of a PR body differ only inside the checklist section: the edit this app
 * makes itself, which needs no new evaluation (its `pull_request.edited` event carries the old
 * body in `changes.body.from`).
 */
export const onlyChecklistChanged = (from: string, to: string): boolean => {
  const outside = (body: string) => {
    const start = body.indexOf(CHECKLIST_START);
    const end = body.indexOf(CHECKLIST_END);
    return start >= 0 && end > start ? body.slice(0, start) + body.slice(end) : undefined;
  };
  const before = outside(from);
  return before !== undefined && from !== to && before === outside(to);
};

/** Reads the release state back from a PR body. Never throws. */
export const parseReleasePrBody = (text: string): Result<ReleasePrState, ParseError> => {
  if (typeof text !== "string") return fail(parseError("release-pr-body", "", "not a string"));
  const marker = MARKER.exec(text.slice(0, 65536));
  if (!marker) return fail(parseError("release-pr-body", text.slice(0, 80), "no release-pilot marker"));
  let data: unknown;
  try {
    data = JSON.parse(marker[1] ?? "");
  } catch {
    return fail(parseError("release-pr-body", marker[0], "the marker holds no valid JSON"));
  }
  const { version, previousVersion, issue } = isJsonObject(data) ? data : {};
  if (typeof version !== "string" || !parseVersion(version).ok) {
    return fail(parseError("release-pr-body", marker[0], "the marker holds no valid version"));
  }
  const state: ReleasePrState = { version };
  if (typeof previousVersion === "string" && parseVersion(previousVersion).ok) {
    state.previousVersion = previousVersion;
  }
  if (typeof issue === "number" && Number.isSafeInteger(issue) && issue > 0) state.issue = issue;
  return ok(state);
};
