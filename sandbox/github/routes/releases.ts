// Releases: creating one publishes its tag (a lightweight tag at target_commitish), like GitHub.
import { emit, writeRef, type Scope } from "../events.js";
import { HTML, nodeId, repoApi, userJson } from "../payloads.js";
import { notFound, ok, paginate, register, repoOf, str, unprocessable, type Ctx } from "../router.js";
import type { Release, Repo, User, World } from "../state.js";
import { resolveCommitish } from "./commits.js";

export function releaseJson(world: World, repo: Repo, r: Release): Record<string, unknown> {
  const api = `${repoApi(world, repo)}/releases/${r.id}`;
  const html = `${HTML}/${repo.owner.login}/${repo.name}/releases/${r.draft ? `untagged-${r.id}` : `tag/${encodeURIComponent(r.tagName)}`}`;
  return {
    url: api,
    html_url: html,
    assets_url: `${api}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.owner.login}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    tarball_url: r.draft ? null : `${repoApi(world, repo)}/tarball/${r.tagName}`,
    zipball_url: r.draft ? null : `${repoApi(world, repo)}/zipball/${r.tagName}`,
    id: r.id,
    node_id: nodeId("Release", r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: false,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    updated_at: r.publishedAt ?? r.createdAt,
    author: userJson(world, r.author),
    assets: [],
  };
}

async function publishTag(scope: Scope, repo: Repo, user: User, r: Release): Promise<void> {
  if (await repo.git.readRef(`refs/tags/${r.tagName}`)) return;
  const sha = await resolveCommitish(repo, r.targetCommitish);
  if (!sha)
    throw unprocessable("Validation Failed", [
      { resource: "Release", code: "invalid", field: "target_commitish" },
    ]);
  await writeRef(scope, repo, user, `refs/tags/${r.tagName}`, sha);
}

function emitPublished(scope: Scope, repo: Repo, user: User, r: Release): void {
  emit(scope, repo, user, "release", { action: "published", release: releaseJson(scope.world, repo, r) });
  if (!r.prerelease)
    emit(scope, repo, user, "release", { action: "released", release: releaseJson(scope.world, repo, r) });
}

export async function createRelease(
  scope: Scope,
  repo: Repo,
  user: User,
  input: {
    tag_name: string;
    target_commitish?: string;
    name?: string | null;
    body?: string | null;
    draft?: boolean;
    prerelease?: boolean;
  },
): Promise<Release> {
  if (repo.releases.some((r) => r.tagName === input.tag_name && !r.draft)) {
    throw unprocessable("Validation Failed", [
      { resource: "Release", code: "already_exists", field: "tag_name" },
    ]);
  }
  const now = scope.world.now();
  const release: Release = {
    id: scope.world.nextId(),
    tagName: input.tag_name,
    targetCommitish: input.target_commitish ?? repo.defaultBranch,
    name: input.name ?? null,
    body: input.body ?? null,
    draft: input.draft ?? false,
    prerelease: input.prerelease ?? false,
    author: user,
    createdAt: now,
    publishedAt: input.draft ? null : now,
  };
  if (!release.draft) await publishTag(scope, repo, user, release);
  repo.releases.push(release);
  emit(scope, repo, user, "release", { action: "created", release: releaseJson(scope.world, repo, release) });
  if (!release.draft) emitPublished(scope, repo, user, release);
  return release;
}

function releaseOf(repo: Repo, id: string | undefined): Release {
  const r = repo.releases.find((x) => x.id === Number(id));
  if (!r) throw notFound();
  return r;
}

async function updateRelease(ctx: Ctx) {
  const repo = repoOf(ctx);
  const r = releaseOf(repo, ctx.params.release_id);
  const b = ctx.body;
  const changes: Record<string, unknown> = {};
  if (typeof b.name === "string" && b.name !== r.name) {
    changes.name = { from: r.name };
    r.name = b.name;
  }
  if (typeof b.body === "string" && b.body !== r.body) {
    changes.body = { from: r.body ?? "" }; // webhooks give an empty previous body as "" (changes.body.from: string)
    r.body = b.body;
  }
  if (typeof b.tag_name === "string") r.tagName = b.tag_name;
  if (typeof b.target_commitish === "string") r.targetCommitish = b.target_commitish;
  if (typeof b.prerelease === "boolean") r.prerelease = b.prerelease;
  const publishing = r.draft && b.draft === false;
  if (Object.keys(changes).length > 0)
    emit(ctx, repo, ctx.actor, "release", {
      action: "edited",
      changes,
      release: releaseJson(ctx.world, repo, r),
    });
  if (publishing) {
    await publishTag(ctx, repo, ctx.actor, r);
    r.draft = false;
    r.publishedAt = ctx.world.now();
    emitPublished(ctx, repo, ctx.actor, r);
  }
  return ok(releaseJson(ctx.world, repo, r));
}

function newestFirst(repo: Repo): Release[] {
  return [...repo.releases].reverse();
}

register({
  "repos/create-release": async (ctx) => {
    const repo = repoOf(ctx);
    str(ctx.body.tag_name, "tag_name");
    const r = await createRelease(ctx, repo, ctx.actor, ctx.body as Parameters<typeof createRelease>[3]);
    return ok(releaseJson(ctx.world, repo, r), 201, {
      location: `${repoApi(ctx.world, repo)}/releases/${r.id}`,
    });
  },
  "repos/list-releases": (ctx) => {
    const repo = repoOf(ctx);
    return paginate(ctx, newestFirst(repo), `/repos/${repo.owner.login}/${repo.name}/releases`, (page) =>
      page.map((r) => releaseJson(ctx.world, repo, r)),
    );
  },
  "repos/get-release": (ctx) => {
    const repo = repoOf(ctx);
    return ok(releaseJson(ctx.world, repo, releaseOf(repo, ctx.params.release_id)));
  },
  "repos/get-release-by-tag": (ctx) => {
    const repo = repoOf(ctx);
    const r = newestFirst(repo).find((x) => x.tagName === ctx.params.tag && !x.draft);
    if (!r) throw notFound();
    return ok(releaseJson(ctx.world, repo, r));
  },
  "repos/get-latest-release": (ctx) => {
    const repo = repoOf(ctx);
    const r = newestFirst(repo).find((x) => !x.draft && !x.prerelease);
    if (!r) throw notFound();
    return ok(releaseJson(ctx.world, repo, r));
  },
  "repos/update-release": updateRelease,
});
