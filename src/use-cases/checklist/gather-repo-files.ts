import type { DocsInput, VersionsInput } from "../../domain/checklist/types.js";
import { errorMessage, type GatherContext } from "./gather-context.js";

/** The changelog at the head and the files changed since the previous release. */
export const gatherDocs = async (ctx: GatherContext): Promise<DocsInput> => {
  const { source } = ctx.deps;
  const [changelog, lastTag] = await Promise.all([
    source.getFileText(ctx.config.docs.changelog, ctx.pr.headSha),
    ctx.previousTag !== undefined ? Promise.resolve(ctx.previousTag) : source.findPreviousReleaseTag(),
  ]);
  if (lastTag === null) return { version: ctx.version, changelog, lastTag, changedFiles: [] };
  const changed = await source.listChangedFiles(lastTag, ctx.pr.headSha);
  return { version: ctx.version, changelog, lastTag, changedFiles: changed.files, compareUrl: changed.url };
};

/** Every project's version files at the head; one unreadable file fails only its row. */
export const gatherVersions = async (ctx: GatherContext): Promise<VersionsInput> => ({
  version: ctx.version,
  files: await Promise.all(
    ctx.projects.flatMap((p) =>
      p.versionFiles.map(async (path) => {
        try {
          const text = await ctx.deps.source.getFileText(path, ctx.pr.headSha);
          const readVersion = p.versionReaders?.get(path);
          return { project: p.name, path, text, ...(readVersion ? { readVersion } : {}) };
        } catch (e) {
          return { project: p.name, path, text: null, error: errorMessage(e) };
        }
      }),
    ),
  ),
});
