// Branches: `GET /repos/{owner}/{repo}/branches/{branch}` (the head commit with its tree, and
// whether the branch is protected).
import { commitJson } from "../commit-json.js";
import { repoApi, HTML } from "../payloads.js";
import { notFound, ok, register, repoOf } from "../router.js";

register({
  "repos/get-branch": async (ctx) => {
    const repo = repoOf(ctx);
    const name = ctx.params.branch ?? "";
    const sha = await repo.git.readRef(`refs/heads/${name}`);
    if (!sha) throw notFound();
    const api = `${repoApi(ctx.world, repo)}/branches/${name}`;
    const protection = repo.protections.get(name);
    return ok({
      name,
      commit: await commitJson(ctx.world, repo, sha, false),
      _links: { self: api, html: `${HTML}/${repo.owner.login}/${repo.name}/tree/${name}` },
      protected: protection !== undefined,
      protection: {
        enabled: protection !== undefined,
        required_status_checks: {
          enforcement_level: protection ? "non_admins" : "off",
          contexts: protection?.requiredChecks ?? [],
          checks: (protection?.requiredChecks ?? []).map((context) => ({ context, app_id: null })),
        },
      },
      protection_url: `${api}/protection`,
    });
  },
});
