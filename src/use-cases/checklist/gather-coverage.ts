import { forProject } from "../../domain/checklist/for-project.js";
import type { CoverageEvidence, CoverageInput } from "../../domain/checklist/types.js";
import { findArtifactFiles } from "./find-artifact-files.js";
import { errorMessage, type GatherContext } from "./gather-context.js";

const evidenceFor = async (ctx: GatherContext, project: string): Promise<CoverageEvidence> => {
  const c = ctx.config.coverage;
  const own = c.projects[project] ?? {};
  const artifactPattern = forProject(own.artifact ?? c.artifact, project);
  const reports = (own.reports ?? c.reports).map((p) => forProject(p, project));
  const { files, errors } = await findArtifactFiles(ctx, artifactPattern, reports, project);
  const file = files[0];
  if (file)
    return {
      kind: "report",
      path: `${file.artifact.name}/${file.path}`,
      text: file.text,
      link: file.artifact.url,
    };
  const context = forProject(own.statusContext ?? c.statusContext, project).toLowerCase();
  const status = (await ctx.checks()).find((x) => x.source === "status" && x.name.toLowerCase() === context);
  if (status?.description !== undefined) {
    return { kind: "status", context: status.name, description: status.description, link: status.url };
  }
  if (errors.length > 0) return { kind: "error", message: errors.join("; ") };
  return {
    kind: "none",
    looked: `artifact '${artifactPattern}' (${reports.join(", ")}) and status '${context}'`,
  };
};

/** Each project's coverage report; a project whose artifact cannot be read fails alone. */
export const gatherCoverage = async (ctx: GatherContext): Promise<CoverageInput> => ({
  projects: await Promise.all(
    ctx.projects.map(async ({ name }) => {
      try {
        return { project: name, evidence: await evidenceFor(ctx, name) };
      } catch (e) {
        return { project: name, evidence: { kind: "error" as const, message: errorMessage(e) } };
      }
    }),
  ),
});
