import { isJsonObject } from "../json-object.js";
import { isParseError, parseError, type ParseError } from "../version/parse-error.js";
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
const CHECKLIST_START = "<!-- release-pilot:checklist:start -->";
const CHECKLIST_END = "<!-- release-pilot:checklist:end -->";

/**
 * The release PR body: a hidden marker with the version (so state lives in GitHub), the
 * version files changed, the release-notes preview and a placeholder for the checklist.
 */
export const renderReleasePrBody = (plan: ReleasePlan, checklist?: string, issue?: number): string => {
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
    plan.changelog.section,
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
  return lines.join("\n");
};

/** Reads the release state back from a PR body. Never throws. */
export const parseReleasePrBody = (text: string): ReleasePrState | ParseError => {
  if (typeof text !== "string") return parseError("release-pr-body", "", "not a string");
  const marker = MARKER.exec(text.slice(0, 65536));
  if (!marker) return parseError("release-pr-body", text.slice(0, 80), "no release-pilot marker");
  let data: unknown;
  try {
    data = JSON.parse(marker[1] ?? "");
  } catch {
    return parseError("release-pr-body", marker[0], "the marker holds no valid JSON");
  }
  const { version, previousVersion, issue } = isJsonObject(data) ? data : {};
  if (typeof version !== "string" || isParseError(parseVersion(version))) {
    return parseError("release-pr-body", marker[0], "the marker holds no valid version");
  }
  const state: ReleasePrState = { version };
  if (typeof previousVersion === "string" && !isParseError(parseVersion(previousVersion))) {
    state.previousVersion = previousVersion;
  }
  if (typeof issue === "number" && Number.isSafeInteger(issue) && issue > 0) state.issue = issue;
  return state;
};
