import type { ReleasePlan } from "../domain/release/release-plan.js";
import { renderDiff } from "./render-diff.js";

/** The plan as `--json` prints it. */
export const planToJson = (plan: ReleasePlan) => ({
  version: plan.version,
  previousVersion: plan.previousVersion ?? null,
  tag: plan.tag,
  branch: plan.branch,
  startsFrom: plan.startsFrom,
  versionSources: plan.versionSources,
  files: plan.files.map((f) => ({ path: f.path, before: f.before, after: f.after })),
  changelog: plan.changelog,
  skipped: plan.skipped,
  warnings: plan.warnings,
});

/** The plan for a terminal: summary, each file's diff, the CHANGELOG section, warnings. */
export const renderPlanText = (plan: ReleasePlan): string => {
  const from = plan.previousVersion === undefined ? "(first release)" : plan.previousVersion;
  const bump = plan.bump === undefined ? "" : `${plan.bump}, `;
  const out = [
    `Release ${from} → ${plan.version} (${bump}starts from ${plan.startsFrom})`,
    `Branch ${plan.branch}, tag ${plan.tag}`,
    "",
    "Version sources:",
    ...(plan.versionSources.length === 0
      ? ["  (none)"]
      : plan.versionSources.map((s) => `  ${s.source}: ${s.version}`)),
    "",
  ];
  for (const file of plan.files) out.push(renderDiff(file.path, file.before, file.after));
  if (plan.skipped.length > 0)
    out.push("Not edited:", ...plan.skipped.map((s) => `  ${s.path}: ${s.reason}`), "");
  out.push(
    `${plan.changelog.path} section (notes from ${plan.changelog.notesFrom}):`,
    "",
    plan.changelog.section,
    "",
  );
  if (plan.warnings.length > 0) out.push("Warnings:", ...plan.warnings.map((w) => `  - ${w}`), "");
  return out.join("\n");
};
