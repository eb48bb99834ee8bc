// Branches: `GET /repos/{owner}/{repo}/branches/{branch}` (the head commit with its tree, and
// whether the branch is protected), and `GET /repos/{owner}/{repo}/rules/branches/{branch}` (the
// active ruleset rules that apply to it: https://docs.github.com/en/rest/repos/rules#get-rules-for-a-branch).
import { commitJson } from "../commit-json.js";
import { repoApi, HTML } from "../payloads.js";
import { notFound, ok, paginate, register, repoOf } from "../router.js";
import { ruleJson, rulesFor } from "../rulesets.js";

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
  // Every active rule for the branch, whether or not the branch exists yet (rules on a name apply
  // to creating it), paged as GitHub's lists are.
  "repos/get-branch-rules": (ctx) => {
    const repo = repoOf(ctx);
    const name = ctx.params.branch ?? "";
    const fullName = `${repo.owner.login}/${repo.name}`;
    const rules = rulesFor(repo, `refs/heads/${name}`).map(({ rule, ruleset }) =>
      ruleJson(fullName, rule, ruleset),
    );
    return paginate(ctx, rules, `/repos/${fullName}/rules/branches/${name}`);
  },
});
