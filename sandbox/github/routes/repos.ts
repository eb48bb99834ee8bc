// Repository, contents, installation and app endpoints.
import { randomBytes } from "node:crypto";
import { HTML, appJson, repoApi, repoJson, userJson } from "../payloads.js";
import { notFound, ok, register, repoOf, unprocessable, type Ctx } from "../router.js";
import { tokenPermissions } from "../route-permissions.js";
import type { Repo } from "../state.js";

async function resolveRef(repo: Repo, ref: string | null): Promise<string> {
  const name = ref ?? repo.defaultBranch;
  for (const candidate of [name, `refs/heads/${name}`, `refs/tags/${name}`]) {
    const sha = await repo.git.resolve(candidate);
    if (sha) return sha;
  }
  throw notFound();
}

function contentLinks(
  ctx: Ctx,
  repo: Repo,
  path: string,
  sha: string,
  type: string,
  ref: string,
): Record<string, unknown> {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const self = `${repoApi(ctx.world, repo)}/contents/${encoded}?ref=${ref}`;
  const git = `${repoApi(ctx.world, repo)}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
  const html = `${HTML}/${repo.owner.login}/${repo.name}/${type === "dir" ? "tree" : "blob"}/${ref}/${encoded}`;
  return {
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      type === "file"
        ? `https://raw.githubusercontent.com/${repo.owner.login}/${repo.name}/${ref}/${encoded}`
        : null,
    _links: { self, git, html },
  };
}

async function getContent(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = ctx.query.get("ref") ?? repo.defaultBranch;
  const commit = await resolveRef(repo, ref);
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const found =
    path === ""
      ? { sha: (await repo.git.readCommit(commit)).tree, type: "tree" }
      : await repo.git.lookup(commit, path);
  if (!found) throw notFound();
  const etag = `"${found.sha}"`;
  if (ctx.headers["if-none-match"] === etag || ctx.headers["if-none-match"] === `W/${etag}`) {
    return { status: 304, headers: { etag } };
  }
  const name = path.split("/").at(-1) ?? "";
  if (found.type === "blob") {
    const content = await repo.git.readBlob(found.sha);
    // `Accept: application/vnd.github.raw` (or .raw+json, .v3.raw) answers the file's bytes
    // (https://docs.github.com/en/rest/repos/contents#get-repository-content, "custom media
    // types"), with a text content type that names the media type asked for, as recorded in
    // @octokit/fixtures' get-content scenario (Octokit then reads it as a string).
    const raw = /application\/vnd\.github(?:\.v3)?\.raw(?:\+json)?/.exec(String(ctx.headers.accept ?? ""));
    if (raw) {
      return {
        status: 200,
        raw: content,
        headers: {
          etag,
          "content-type": `${raw[0]}; charset=utf-8`,
          "x-github-media-type": "github.v3; param=raw",
        },
      };
    }
    const body = {
      type: "file",
      encoding: "base64",
      size: content.length,
      name,
      path,
      content: content.toString("base64").replace(/.{60}/g, "$&\n"),
      sha: found.sha,
      ...contentLinks(ctx, repo, path, found.sha, "file", ref),
    };
    return ok(body, 200, { etag });
  }
  const entries = await repo.git.lsTree(found.sha);
  const listing = entries.map((e) => {
    const child = path ? `${path}/${e.path}` : e.path;
    const type = e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : "file";
    return {
      type,
      size: e.size ?? 0,
      name: e.path,
      path: child,
      sha: e.sha,
      ...contentLinks(ctx, repo, child, e.sha, type, ref),
    };
  });
  return ok(listing, 200, { etag });
}

function installationJson(ctx: Ctx) {
  const { world } = ctx;
  return {
    id: world.installationId,
    account: userJson(world, world.app.owner),
    access_tokens_url: `${world.baseUrl}/app/installations/${world.installationId}/access_tokens`,
    repositories_url: `${world.baseUrl}/installation/repositories`,
    html_url: `${HTML}/settings/installations/${world.installationId}`,
    app_id: world.app.id,
    app_slug: world.app.slug,
    target_id: world.app.owner.id,
    target_type: "Organization",
    permissions: { metadata: "read", ...world.installationPermissions },
    events: ["issue_comment", "pull_request", "push"],
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
    repository_selection: "all",
    suspended_by: null,
    suspended_at: null,
  };
}

register({
  "repos/get": (ctx) => ok(repoJson(ctx.world, repoOf(ctx))),
  "repos/get-content": getContent,
  "apps/get-authenticated": (ctx) => ok(appJson(ctx.world, ctx.world.app)),
  "apps/get-repo-installation": (ctx) => {
    repoOf(ctx);
    return ok(installationJson(ctx));
  },
  // The App sees one installation, with every repository of the sandbox.
  // `account` is left null (the schema allows it): this list's account schema, unlike the single
  // installation's, does not accept the sandbox's organisation account under our validator.
  "apps/list-installations": (ctx) => ok([{ ...installationJson(ctx), account: null }]),
  "apps/list-repos-accessible-to-installation": (ctx) => {
    const repositories = [...ctx.world.repos.values()].map((repo) => repoJson(ctx.world, repo));
    return ok({ total_count: repositories.length, repositories });
  },
  "apps/get-installation": (ctx) => {
    if (Number(ctx.params.installation_id) !== ctx.world.installationId) throw notFound();
    return ok(installationJson(ctx));
  },
  "apps/create-installation-access-token": (ctx) => {
    if (Number(ctx.params.installation_id) !== ctx.world.installationId) throw notFound();
    const permissions = tokenPermissions(ctx.world.installationPermissions, ctx.body.permissions);
    if (!permissions) throw unprocessable("The permissions requested are not granted to this installation.");
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    ctx.world.tokens.set(token, permissions);
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return ok(
      {
        token,
        expires_at: expires,
        permissions,
        repository_selection: "all",
      },
      201,
    );
  },
});
