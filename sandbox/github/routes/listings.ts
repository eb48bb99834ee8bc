// Branch and tag listings, and the pull requests a commit belongs to.
import { commitJson } from "../commit-json.js";
import { nodeId, repoApi } from "../payloads.js";
import { pullJson } from "../pull-json.js";
import { ok, paginate, register, repoOf } from "../router.js";
import type { Issue } from "../state.js";
import { pullOf } from "./pulls.js";

register({
  "repos/list-branches": async (ctx) => {
    const repo = repoOf(ctx);
    const heads = await repo.git.listRefs("refs/heads/");
    const wantProtected = ctx.query.get("protected");
    const items = heads
      .map((h) => ({ name: h.ref.slice("refs/heads/".length), sha: h.sha }))
      .filter((b) => wantProtected === null || repo.protections.has(b.name) === (wantProtected === "true"));
    return paginate(ctx, items, `/repos/${repo.owner.login}/${repo.name}/branches`, (page) =>
      page.map((b) => ({
        name: b.name,
        commit: { sha: b.sha, url: `${repoApi(ctx.world, repo)}/commits/${b.sha}` },
        protected: repo.protections.has(b.name),
      })),
    );
  },
  "repos/list-tags": async (ctx) => {
    const repo = repoOf(ctx);
    const tags = (await repo.git.listRefs("refs/tags/")).reverse();
    const withCommits = await Promise.all(
      tags.map(async (t) => ({
        name: t.ref.slice("refs/tags/".length),
        sha: (await repo.git.resolve(t.sha)) ?? t.sha,
      })),
    );
    return paginate(ctx, withCommits, `/repos/${repo.owner.login}/${repo.name}/tags`, (page) =>
      page.map((t) => ({
        name: t.name,
        commit: { sha: t.sha, url: `${repoApi(ctx.world, repo)}/commits/${t.sha}` },
        zipball_url: `${repoApi(ctx.world, repo)}/zipball/refs/tags/${t.name}`,
        tarball_url: `${repoApi(ctx.world, repo)}/tarball/refs/tags/${t.name}`,
        node_id: nodeId("Ref", t.name),
      })),
    );
  },
  "pulls/list-commits": async (ctx) => {
    const repo = repoOf(ctx);
    const { pull } = pullOf(repo, ctx.params.pull_number);
    const base = (await repo.git.readRef(`refs/heads/${pull.base}`)) ?? pull.headSha;
    const mergeBase = pull.merged
      ? (await repo.git.readCommit(pull.mergeCommitSha!)).parents[0]!
      : ((await repo.git.mergeBase(base, pull.headSha)) ?? base);
    const shas = await repo.git.revList(["--reverse", `${mergeBase}..${pull.headSha}`]);
    const reply = paginate(
      ctx,
      shas,
      `/repos/${repo.owner.login}/${repo.name}/pulls/${ctx.params.pull_number}/commits`,
    );
    return {
      ...reply,
      body: await Promise.all((reply.body as string[]).map((s) => commitJson(ctx.world, repo, s, false))),
    };
  },
  "repos/list-pull-requests-associated-with-commit": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = (await repo.git.resolve(ctx.params.commit_sha ?? "")) ?? "";
    const found: Issue[] = [];
    for (const issue of repo.issues.values()) {
      const pull = issue.pull;
      if (!pull) continue;
      if (pull.mergeCommitSha === sha || pull.headSha === sha) {
        found.push(issue);
        continue;
      }
      const base = pull.merged
        ? (await repo.git.readCommit(pull.mergeCommitSha!)).parents[0]!
        : await repo.git.readRef(`refs/heads/${pull.base}`);
      if (base && (await repo.git.revList([`${base}..${pull.headSha}`])).includes(sha)) found.push(issue);
    }
    return ok(await Promise.all(found.map((i) => pullJson(ctx.world, repo, i, false))));
  },
});
