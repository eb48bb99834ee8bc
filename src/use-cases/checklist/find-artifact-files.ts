import { matchesGlob } from "../../domain/glob.js";
import type { ArtifactRef } from "../../ports/checklist.js";
import { errorMessage, textOf, type GatherContext } from "./gather-context.js";

export interface FoundFile {
  artifact: ArtifactRef;
  path: string;
  text: string;
}

/**
 * Files matching any of `patterns` inside artifacts whose name matches `artifactPattern`.
 * An artifact named after the project (`coverage-BankChurn-Predictor`) may hold `coverage.xml`
 * at its root, so `{project}/coverage.xml` also matches that root file; such artifacts are
 * searched first. Download failures are returned, not thrown.
 */
export const findArtifactFiles = async (
  ctx: GatherContext,
  artifactPattern: string,
  patterns: string[],
  project?: string,
): Promise<{ files: FoundFile[]; artifacts: ArtifactRef[]; errors: string[] }> => {
  const named = (a: ArtifactRef) =>
    project !== undefined && a.name.toLowerCase().includes(project.toLowerCase());
  const artifacts = (await ctx.artifacts())
    .filter((a) => matchesGlob(artifactPattern, a.name, "name"))
    .sort((a, b) => Number(named(b)) - Number(named(a)));
  const files: FoundFile[] = [];
  const errors: string[] = [];
  for (const artifact of artifacts) {
    let content;
    try {
      content = await ctx.artifactFiles(artifact);
    } catch (e) {
      // An unreadable artifact matters only if nothing else holds the report: the caller decides.
      errors.push(`artifact ${artifact.name}: ${errorMessage(e)}`);
      continue;
    }
    for (const file of content) {
      const candidates =
        project !== undefined && named(artifact) ? [file.path, `${project}/${file.path}`] : [file.path];
      if (patterns.some((p) => candidates.some((c) => matchesGlob(p, c, "path")))) {
        files.push({ artifact, path: file.path, text: textOf(file) });
      }
    }
  }
  return { files, artifacts, errors };
};
