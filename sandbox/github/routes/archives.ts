// Repository archives: GitHub answers 302 to codeload; the sandbox redirects to its own raw
// route, which serves the bytes `git archive` made (a real tar.gz with the `owner-repo-sha/`
// top folder and the commit id in the pax header, like GitHub's).
import { randomUUID } from "node:crypto";
import { notFound, register, repoOf } from "../router.js";
import type { Reply } from "../router.js";
import { resolveCommitish } from "./commits.js";

export const ARCHIVE_PREFIX = "/_sandbox/archives/";

const archives = new Map<string, Buffer>();

/** Serves an archive once made; each is served until the process ends or it is replaced. */
export const serveArchive = (path: string): Reply => {
  const bytes = archives.get(path.slice(ARCHIVE_PREFIX.length));
  return bytes
    ? { status: 200, raw: bytes, headers: { "content-type": "application/x-gzip" } }
    : { status: 404, body: { message: "Not Found" } };
};

register({
  "repos/download-tarball-archive": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = await resolveCommitish(repo, ctx.params.ref ?? "");
    if (!sha) throw notFound();
    const prefix = `${repo.owner.login}-${repo.name}-${sha.slice(0, 7)}/`;
    const bytes = await repo.git.git(["archive", "--format=tar.gz", `--prefix=${prefix}`, sha]);
    const token = randomUUID();
    archives.set(token, bytes);
    if (archives.size > 50) archives.delete(archives.keys().next().value as string);
    return { status: 302, headers: { location: `${ctx.world.baseUrl}${ARCHIVE_PREFIX}${token}` } };
  },
});
