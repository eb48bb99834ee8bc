// Pull requests: open, list, update, files, reviews and the protected merge.
import { diffEntryJson } from "../commit-json.js";
import { emit, emitIssueEvent, writeRef, type Scope } from "../events.js";
import type { TreeEdit } from "../git-store.js";
import { repoApi, reviewJson, webhookReviewJson } from "../payloads.js";
import { pullJson } from "../pull-json.js";
import {
  HttpError,
  notFound,
  ok,
  paginate,
  register,
  repoOf,
  str,
  unprocessable,
  type Ctx,
} from "../router.js";
import type { Issue, Repo, Review, User } from "../state.js";
import { missingChecks, missingChecksMessage } from "../branch-protection.js";
import { personFor } from "../git-person.js";
import { createIssue, issueOf, setIssueState } from "./issues.js";

export function pullOf(
  repo: Repo,
  number: number | string | undefined,
): Issue & { pull: NonNullable<Issue["pull"]> } {
  const issue = issueOf(repo, number);
  if (!issue.pull) throw new HttpError(404, "Not Found");
  return issue as Issue & { pull: NonNullable<Issue["pull"]> };
}

export async function openPull(
  scope: Scope,
  repo: Repo,
  user: User,
  input: { head: string; base: string; title: string; body?: string | null; draft?: boolean },
): Promise<Issue> {
  const head = input.head.includes(":") ? input.head.slice(input.head.indexOf(":") + 1) : input.head;
  const headSha = await repo.git.readRef(`refs/heads/${head}`);
  const baseSha = await repo.git.readRef(`refs/heads/${input.base}`);
  if (!headSha)
    throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
  if (!baseSha)
    throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
  if (await repo.git.isAncestor(headSha, baseSha)) {
    throw unprocessable("Validation Failed", [
      { resource: "PullRequest", code: "custom", message: `No commits between ${input.base} and ${head}` },
    ]);
  }
  const duplicate = [...repo.issues.values()].find(
    (i) => i.pull && i.state === "open" && i.pull.head === head && i.pull.base === input.base,
  );
  if (duplicate) {
    throw unprocessable("Validation Failed", [
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${repo.owner.login}:${head}.`,
      },
    ]);
  }
  return createIssue(
    scope,
    repo,
    user,
    { title: input.title, body: input.body ?? null },
    {
      head,
      base: input.base,
      headSha,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      draft: input.draft ?? false,
    },
  );
}

/** People with write access or more whose latest review of the PR approves it. */
function approvals(repo: Repo, issue: Issue): number {
  const latest = new Map<string, Review>();
  for (const r of repo.reviews)
    if (r.pullNumber === issue.number && r.state !== "COMMENTED" && r.state !== "PENDING")
      latest.set(r.user.login.toLowerCase(), r);
  const writers = new Set(["write", "maintain", "admin"]);
  return [...latest.values()].filter(
    (r) =>
      r.state === "APPROVED" &&
      (r.user.login.toLowerCase() === repo.owner.login.toLowerCase() ||
        writers.has(repo.permissions.get(r.user.login.toLowerCase()) ?? "")),
  ).length;
}

async function rebaseTree(repo: Repo, base: string, commits: string[]): Promise<string> {
  let tree = (await repo.git.readCommit(base)).tree;
  for (const sha of commits) {
    const c = await repo.git.readCommit(sha);
    const edits = new Map<string, TreeEdit>();
    for (const f of await repo.git.diff(c.parents[0], sha)) {
      edits.set(f.filename, f.status === "removed" ? null : { mode: "100644", sha: f.sha });
    }
    tree = await repo.git.buildTree(tree, edits);
  }
  return tree;
}

export async function mergePull(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  user: User,
  opts: { method?: string; title?: string; message?: string; sha?: string } = {},
): Promise<string> {
  const pull = issue.pull!;
  if (pull.merged || issue.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
  if (opts.sha && opts.sha !== pull.headSha)
    throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
  // A protected base refuses with 405 and the rule's words (REST reference, "Merge a pull
  // request": 405 "if merge cannot be performed"); recorded answers read `Required status check
  // "ci" is expected.` and `At least 1 approving review is required by reviewers with write access.`
  const missing = missingChecks(repo, pull.base, pull.headSha);
  if (missing.length > 0) throw new HttpError(405, missingChecksMessage(missing));
  const needed = repo.protections.get(pull.base)?.requiredApprovals ?? 0;
  if (approvals(repo, issue) < needed) {
    throw new HttpError(
      405,
      needed === 1
        ? "At least 1 approving review is required by reviewers with write access."
        : `At least ${needed} approving reviews are required by reviewers with write access.`,
    );
  }
  const baseRef = `refs/heads/${pull.base}`;
  const base = (await repo.git.readRef(baseRef))!;
  const tree = await repo.git.mergeTree(base, pull.headSha);
  if (!tree) throw new HttpError(405, "Pull Request is not mergeable");
  const person = personFor(scope.world, user, undefined);
  const method = opts.method ?? "merge";
  let sha: string;
  if (method === "squash") {
    const message = `${opts.title ?? `${issue.title} (#${issue.number})`}\n\n${opts.message ?? ""}`.trimEnd();
    sha = await repo.git.commitTree(tree, [base], message, person);
  } else if (method === "rebase") {
    const mergeBase = (await repo.git.mergeBase(base, pull.headSha)) ?? base;
    sha = base;
    for (const c of await repo.git.revList(["--reverse", `${mergeBase}..${pull.headSha}`])) {
      const original = await repo.git.readCommit(c);
      sha = await repo.git.commitTree(
        await rebaseTree(repo, sha, [c]),
        [sha],
        original.message,
        original.author,
        person,
      );
    }
  } else {
    const title = opts.title ?? `Merge pull request #${issue.number} from ${repo.owner.login}/${pull.head}`;
    sha = await repo.git.commitTree(
      tree,
      [base, pull.headSha],
      `${title}\n\n${opts.message ?? issue.title}`,
      person,
    );
  }
  await writeRef(scope, repo, user, baseRef, sha);
  const now = scope.world.now();
  pull.merged = true;
  pull.mergedAt = now;
  pull.mergedBy = user;
  pull.mergeCommitSha = sha;
  await setIssueState(scope, repo, issue, user, "closed");
  return sha;
}

export async function submitReview(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  user: User,
  event: string | undefined,
  body = "",
): Promise<Review> {
  const states: Record<string, Review["state"]> = {
    APPROVE: "APPROVED",
    REQUEST_CHANGES: "CHANGES_REQUESTED",
    COMMENT: "COMMENTED",
  };
  const review: Review = {
    id: scope.world.nextId(),
    pullNumber: issue.number,
    user,
    state: event ? (states[event] ?? "COMMENTED") : "PENDING",
    body,
    commitId: issue.pull!.headSha,
    submittedAt: scope.world.now(),
  };
  repo.reviews.push(review);
  if (review.state !== "PENDING") {
    emit(scope, repo, user, "pull_request_review", {
      action: "submitted",
      review: webhookReviewJson(scope.world, repo, review),
      pull_request: await pullJson(scope.world, repo, issue, false),
    });
  }
  return review;
}

/**
 * Dismiss a review (`PUT /pulls/{n}/reviews/{id}/dismissals`, or "Dismiss review" on
 * github.com): it stays listed with state DISMISSED and GitHub sends
 * `pull_request_review.dismissed` (https://docs.github.com/en/rest/pulls/reviews#dismiss-a-review-for-a-pull-request;
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request_review).
 * Only an approval or a change request can be dismissed; a pending or comment-only review is
 * refused with 422 ("Validation failed" in the REST reference's responses).
 */
export async function dismissReview(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  review: Review,
  user: User,
): Promise<void> {
  if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED")
    throw unprocessable(`Can not dismiss a ${review.state.toLowerCase()} pull request review`);
  review.state = "DISMISSED";
  emit(scope, repo, user, "pull_request_review", {
    action: "dismissed",
    review: webhookReviewJson(scope.world, repo, review),
    pull_request: await pullJson(scope.world, repo, issue, false),
  });
}

async function updatePull(ctx: Ctx) {
  const repo = repoOf(ctx);
  const issue = pullOf(repo, ctx.params.pull_number);
  const changes: Record<string, unknown> = {};
  if (typeof ctx.body.title === "string" && ctx.body.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = ctx.body.title;
  }
  if (typeof ctx.body.body === "string" && ctx.body.body !== issue.body) {
    changes.body = { from: issue.body ?? "" }; // webhooks give an empty previous body as "" (changes.body.from: string)
    issue.body = ctx.body.body;
  }
  if (typeof ctx.body.base === "string" && ctx.body.base !== issue.pull.base) {
    if (!(await repo.git.readRef(`refs/heads/${ctx.body.base}`)))
      throw unprocessable("Validation Failed", [{ field: "base", code: "invalid" }]);
    changes.base = { ref: { from: issue.pull.base }, sha: { from: "" } };
    issue.pull.base = ctx.body.base;
  }
  if (Object.keys(changes).length > 0) {
    issue.updatedAt = ctx.world.now();
    await emitIssueEvent(ctx, repo, ctx.actor, issue, "edited", { changes });
  }
  if (ctx.body.state === "open" || ctx.body.state === "closed")
    await setIssueState(ctx, repo, issue, ctx.actor, ctx.body.state);
  return ok(await pullJson(ctx.world, repo, issue));
}

register({
  "pulls/create": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = await openPull(ctx, repo, ctx.actor, {
      head: str(ctx.body.head, "head"),
      base: str(ctx.body.base, "base"),
      title: str(ctx.body.title, "title"),
      body: (ctx.body.body as string | undefined) ?? null,
      draft: ctx.body.draft === true,
    });
    return ok(await pullJson(ctx.world, repo, issue), 201, {
      location: `${repoApi(ctx.world, repo)}/pulls/${issue.number}`,
    });
  },
  "pulls/list": async (ctx) => {
    const repo = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const base = ctx.query.get("base");
    const items = [...repo.issues.values()]
      .filter((i) => i.pull && (state === "all" || i.state === state))
      .filter(
        (i) =>
          !head ||
          `${repo.owner.login}:${i.pull!.head}`.toLowerCase() === head.toLowerCase() ||
          i.pull!.head === head,
      )
      .filter((i) => !base || i.pull!.base === base)
      .reverse();
    const reply = paginate(ctx, items, `/repos/${repo.owner.login}/${repo.name}/pulls`);
    return {
      ...reply,
      body: await Promise.all((reply.body as Issue[]).map((i) => pullJson(ctx.world, repo, i, false))),
    };
  },
  "pulls/get": async (ctx) => {
    const repo = repoOf(ctx);
    return ok(await pullJson(ctx.world, repo, pullOf(repo, ctx.params.pull_number)));
  },
  "pulls/update": updatePull,
  "pulls/list-files": async (ctx) => {
    const repo = repoOf(ctx);
    const { pull } = pullOf(repo, ctx.params.pull_number);
    const base = (await repo.git.readRef(`refs/heads/${pull.base}`)) ?? pull.headSha;
    const mergeBase = (await repo.git.mergeBase(base, pull.headSha)) ?? base;
    const files = await repo.git.diff(mergeBase, pull.headSha);
    return paginate(
      ctx,
      files,
      `/repos/${repo.owner.login}/${repo.name}/pulls/${ctx.params.pull_number}/files`,
      (page) => page.map((f) => diffEntryJson(ctx.world, repo, pull.headSha, f)),
    );
  },
  "pulls/merge": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(repo, ctx.params.pull_number);
    const sha = await mergePull(ctx, repo, issue, ctx.actor, {
      method: ctx.body.merge_method as string | undefined,
      title: ctx.body.commit_title as string | undefined,
      message: ctx.body.commit_message as string | undefined,
      sha: ctx.body.sha as string | undefined,
    });
    return ok({ sha, merged: true, message: "Pull Request successfully merged" });
  },
  "pulls/list-reviews": (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(repo, ctx.params.pull_number);
    const items = repo.reviews.filter((r) => r.pullNumber === issue.number);
    return paginate(
      ctx,
      items,
      `/repos/${repo.owner.login}/${repo.name}/pulls/${issue.number}/reviews`,
      (page) => page.map((r) => reviewJson(ctx.world, repo, r)),
    );
  },
  "pulls/dismiss-review": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(repo, ctx.params.pull_number);
    const review = repo.reviews.find(
      (r) => r.id === Number(ctx.params.review_id) && r.pullNumber === issue.number,
    );
    if (!review) throw notFound();
    str(ctx.body.message, "message"); // required by GitHub; shown on the PR's timeline, not kept here
    await dismissReview(ctx, repo, issue, review, ctx.actor);
    return ok(reviewJson(ctx.world, repo, review));
  },
  "pulls/create-review": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = pullOf(repo, ctx.params.pull_number);
    const review = await submitReview(
      ctx,
      repo,
      issue,
      ctx.actor,
      ctx.body.event as string | undefined,
      (ctx.body.body as string) ?? "",
    );
    return ok(reviewJson(ctx.world, repo, review));
  },
});
