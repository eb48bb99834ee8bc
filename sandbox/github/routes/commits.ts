// Commit history, single commits, compare and the merge API.
import { commitJson, diffEntryJson } from "../commit-json.js";
import { writeRef } from "../events.js";
import { HTML, repoApi } from "../payloads.js";
import { HttpError, notFound, ok, paginate, register, repoOf, str, type Ctx } from "../router.js";
import type { Repo } from "../state.js";
import { personFor } from "../git-person.js";
import { missingChecks, missingChecksMessage } from "../branch-protection.js";

/** Branch, tag, full ref or SHA → commit SHA (the compare API also accepts owner:branch). */
export async function resolveCommitish(repo: Repo, name: string): Promise<string | undefined> {
  const bare = name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
  for (const candidate of [`refs/heads/${bare}`, `refs/tags/${bare}`, bare]) {
    const sha = await repo.git.resolve(candidate);
    if (sha) return sha;
  }
  return undefined;
}

async function listCommits(ctx: Ctx) {
  const repo = repoOf(ctx);
  const start = await resolveCommitish(repo, ctx.query.get("sha") ?? repo.defaultBranch);
  if (!start) throw new HttpError(404, "Not Found");
  const args = [start];
  const since = ctx.query.get("since");
  const until = ctx.query.get("until");
  if (since) args.push(`--since=${since}`);
  if (until) args.push(`--until=${until}`);
  const path = ctx.query.get("path");
  if (path) args.push("--", path);
  const shas = await repo.git.revList(args);
  const perPage = Math.min(Number(ctx.query.get("per_page") ?? 30) || 30, 100);
  const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const reply = paginate(ctx, shas, `/repos/${repo.owner.login}/${repo.name}/commits`);
  const slice = shas.slice((page - 1) * perPage, page * perPage);
  return { ...reply, body: await Promise.all(slice.map((s) => commitJson(ctx.world, repo, s, false))) };
}

async function getCommit(ctx: Ctx) {
  const repo = repoOf(ctx);
  const sha = await resolveCommitish(repo, ctx.params.ref ?? "");
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref ?? ""}`);
  return ok(await commitJson(ctx.world, repo, sha, true));
}

async function compare(ctx: Ctx) {
  const repo = repoOf(ctx);
  const basehead = ctx.params.basehead ?? `${ctx.params.base ?? ""}...${ctx.params.head ?? ""}`;
  const [baseName, headName] = basehead.includes("...") ? basehead.split("...") : basehead.split("..");
  const base = await resolveCommitish(repo, baseName ?? "");
  const head = await resolveCommitish(repo, headName ?? "");
  if (!base || !head) throw notFound();
  const mergeBase = (await repo.git.mergeBase(base, head)) ?? base;
  const ahead = await repo.git.revList([`${base}..${head}`]);
  const behind = await repo.git.revList([`${head}..${base}`]);
  const status =
    ahead.length === 0 && behind.length === 0
      ? "identical"
      : behind.length === 0
        ? "ahead"
        : ahead.length === 0
          ? "behind"
          : "diverged";
  // As GitHub documents it (https://docs.github.com/en/rest/commits/commits#compare-two-commits):
  // commits in chronological order; unpaged, at most 250 of them; with `per_page` (at most 100)
  // or `page`, pages of the whole range, oldest first, and the changed files (at most 300 for
  // the whole comparison) only on the first page.
  const all = await repo.git.revList(["--reverse", `${mergeBase}..${head}`]);
  const paged = ctx.query.has("per_page") || ctx.query.has("page");
  const perPage = Math.min(Math.max(Number(ctx.query.get("per_page") ?? 250) || 250, 1), paged ? 100 : 250);
  const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const commits = all.slice((page - 1) * perPage, page * perPage);
  const files = page === 1 ? (await repo.git.diff(mergeBase, head)).slice(0, 300) : [];
  const full = `${HTML}/${repo.owner.login}/${repo.name}/compare/${basehead}`;
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const links: string[] = [];
  const link = (p: number, rel: string): string => {
    const q = new URLSearchParams(ctx.query);
    q.set("per_page", String(perPage));
    q.set("page", String(p));
    return `<${ctx.world.baseUrl}/repos/${repo.owner.login}/${repo.name}/compare/${basehead}?${q.toString()}>; rel="${rel}"`;
  };
  if (paged && page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (paged && page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  return ok(
    {
      url: `${repoApi(ctx.world, repo)}/compare/${basehead}`,
      html_url: full,
      permalink_url: `${HTML}/${repo.owner.login}/${repo.name}/compare/${base.slice(0, 7)}...${head.slice(0, 7)}`,
      diff_url: `${full}.diff`,
      patch_url: `${full}.patch`,
      base_commit: await commitJson(ctx.world, repo, base, false),
      merge_base_commit: await commitJson(ctx.world, repo, mergeBase, false),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: await Promise.all(commits.map((s) => commitJson(ctx.world, repo, s, false))),
      files: files.map((f) => diffEntryJson(ctx.world, repo, head, f)),
    },
    200,
    links.length ? { link: links.join(", ") } : undefined,
  );
}

async function merge(ctx: Ctx) {
  const repo = repoOf(ctx);
  const baseName = str(ctx.body.base, "base");
  const headName = str(ctx.body.head, "head");
  const baseRef = `refs/heads/${baseName}`;
  const base = await repo.git.readRef(baseRef);
  if (!base) throw new HttpError(404, "Base does not exist");
  const head = await resolveCommitish(repo, headName);
  if (!head) throw new HttpError(404, "Head does not exist");
  if (await repo.git.isAncestor(head, base)) return { status: 204 };
  const tree = await repo.git.mergeTree(base, head);
  if (!tree) throw new HttpError(409, "Merge conflict");
  const person = personFor(ctx.world, ctx.actor, undefined);
  const message =
    typeof ctx.body.commit_message === "string"
      ? ctx.body.commit_message
      : `Merge ${headName} into ${baseName}`;
  const sha = await repo.git.commitTree(tree, [base, head], message, person);
  // A protected base takes the new merge commit only if the protection allows a direct push:
  // a branch that requires reviews takes changes through a pull request only, and a required
  // check cannot have passed on a commit made just now. GitHub answers the merges endpoint's
  // protection refusals with 409 (REST reference, "Merge a branch": 409 Conflict) and the
  // protected-branch message, the same words as a refused push.
  const protection = repo.protections.get(baseName);
  if (protection?.requiredApprovals) throw new HttpError(409, "Changes must be made through a pull request.");
  const missing = missingChecks(repo, baseName, sha);
  if (missing.length > 0) throw new HttpError(409, missingChecksMessage(missing));
  await writeRef(ctx, repo, ctx.actor, baseRef, sha);
  return ok(await commitJson(ctx.world, repo, sha, false), 201);
}

register({
  "repos/list-commits": listCommits,
  "repos/get-commit": getCommit,
  "repos/compare-commits-with-basehead": compare,
  "repos/compare-commits": compare,
  "repos/merge": merge,
});
