import type { DocsInput, VersionsInput } from "../../domain/checklist/types.js";
import { errorMessage, type GatherContext } from "./gather-context.js";

/** The changelog at the head and the files changed since the previous release. */
export const gatherDocs = async (ctx: GatherContext): Promise<DocsInput> => {
  const [changelog, lastTag] = await Promise.all([
    ctx.fileAtHead(ctx.config.docs.changelog),
    ctx.previousTag !== undefined
      ? Promise.resolve(ctx.previousTag)
      : ctx.deps.releases.findLatestTag().then((tag) => tag ?? null),
  ]);
  if (lastTag === null) return { version: ctx.version, changelog, lastTag, changedFiles: [] };
  const changed = await ctx.deps.git.compare(lastTag, ctx.pr.headSha);
  return {
    version: ctx.version,
    changelog,
    lastTag,
    // A file renamed away from a docs path changed that path too.
    changedFiles: [...changed.files, ...(changed.renamedFrom ?? [])],
    compareUrl: changed.url,
  };
};

/** Every project's version files at the head; one unreadable file fails only its row. */
export const gatherVersions = async (ctx: GatherContext): Promise<VersionsInput> => ({
  version: ctx.version,
  files: await Promise.all(
    ctx.projects.flatMap((p) =>
      p.versionFiles.map(async (path) => {
        try {
          const text = await ctx.fileAtHead(path);
          const readVersion = p.versionReaders?.get(path);
          return { project: p.name, path, text, ...(readVersion ? { readVersion } : {}) };
        } catch (e) {
          return { project: p.name, path, text: null, error: errorMessage(e) };
        }
      }),
    ),
  ),
});
