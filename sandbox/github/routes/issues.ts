// Issues, comments, labels, reactions, collaborator permissions and team membership.
import { emit, emitIssueEvent, type Scope } from "../events.js";
import { commentJson, issueJson, labelJson, nodeId, repoApi, userJson } from "../payloads.js";
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
import {
  ensureUser,
  type Comment,
  type Issue,
  type Label,
  type PermissionLevel,
  type Repo,
  type User,
} from "../state.js";

export function issueOf(repo: Repo, number: number | string | undefined): Issue {
  const issue = repo.issues.get(Number(number));
  if (!issue) throw notFound();
  return issue;
}

export function ensureLabel(
  scope: Scope,
  repo: Repo,
  name: string,
  color = "ededed",
  description: string | null = null,
): Label {
  const found = repo.labels.get(name.toLowerCase());
  if (found) return found;
  const label: Label = { id: scope.world.nextId(), name, color, description };
  repo.labels.set(name.toLowerCase(), label);
  return label;
}

export async function createIssue(
  scope: Scope,
  repo: Repo,
  user: User,
  input: { title: string; body?: string | null; labels?: string[] },
  pull?: Issue["pull"],
): Promise<Issue> {
  const now = scope.world.now();
  const issue: Issue = {
    number: repo.nextNumber++,
    id: scope.world.nextId(),
    title: input.title,
    body: input.body ?? null,
    user,
    state: "open",
    stateReason: null,
    labels: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    ...(pull ? { pull } : {}),
  };
  repo.issues.set(issue.number, issue);
  await emitIssueEvent(scope, repo, user, issue, "opened");
  if (input.labels?.length) await addLabels(scope, repo, issue, user, input.labels);
  return issue;
}

export async function addLabels(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  user: User,
  names: string[],
): Promise<void> {
  for (const name of names) {
    const label = ensureLabel(scope, repo, name);
    if (issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) continue;
    issue.labels.push(label.name);
    issue.updatedAt = scope.world.now();
    await emitIssueEvent(scope, repo, user, issue, "labeled", { label: labelJson(scope.world, repo, label) });
  }
}

export async function removeLabel(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  user: User,
  name: string,
): Promise<void> {
  const index = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
  if (index < 0) throw new HttpError(404, "Label does not exist");
  issue.labels.splice(index, 1);
  issue.updatedAt = scope.world.now();
  const label = repo.labels.get(name.toLowerCase())!;
  await emitIssueEvent(scope, repo, user, issue, "unlabeled", { label: labelJson(scope.world, repo, label) });
}

export async function setIssueState(
  scope: Scope,
  repo: Repo,
  issue: Issue,
  user: User,
  state: "open" | "closed",
  reason?: string | null,
): Promise<void> {
  if (issue.state === state) return;
  const now = scope.world.now();
  issue.state = state;
  issue.updatedAt = now;
  issue.closedAt = state === "closed" ? now : null;
  issue.stateReason = state === "closed" ? (reason ?? "completed") : "reopened";
  await emitIssueEvent(scope, repo, user, issue, state === "closed" ? "closed" : "reopened");
}

export function createComment(scope: Scope, repo: Repo, issue: Issue, user: User, body: string): Comment {
  const now = scope.world.now();
  const comment: Comment = {
    id: scope.world.nextId(),
    issueNumber: issue.number,
    user,
    body,
    createdAt: now,
    updatedAt: now,
    reactions: [],
  };
  repo.comments.set(comment.id, comment);
  emit(scope, repo, user, "issue_comment", {
    action: "created",
    issue: issueJson(scope.world, repo, issue),
    comment: commentJson(scope.world, repo, comment),
  });
  return comment;
}

export function editComment(scope: Scope, repo: Repo, comment: Comment, user: User, body: string): void {
  const from = comment.body;
  comment.body = body;
  comment.updatedAt = scope.world.now();
  emit(scope, repo, user, "issue_comment", {
    action: "edited",
    changes: { body: { from } },
    issue: issueJson(scope.world, repo, issueOf(repo, comment.issueNumber)),
    comment: commentJson(scope.world, repo, comment),
  });
}

function commentOf(repo: Repo, id: string | undefined): Comment {
  const comment = repo.comments.get(Number(id));
  if (!comment) throw notFound();
  return comment;
}

async function updateIssue(ctx: Ctx) {
  const repo = repoOf(ctx);
  const issue = issueOf(repo, ctx.params.issue_number);
  const b = ctx.body;
  const changes: Record<string, unknown> = {};
  if (typeof b.title === "string" && b.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = b.title;
  }
  if (b.body !== undefined && b.body !== issue.body) {
    changes.body = { from: issue.body ?? "" }; // webhooks give an empty previous body as "" (changes.body.from: string)
    issue.body = (b.body as string | null) ?? null;
  }
  if (Object.keys(changes).length > 0) {
    issue.updatedAt = ctx.world.now();
    await emitIssueEvent(ctx, repo, ctx.actor, issue, "edited", { changes });
  }
  if (Array.isArray(b.labels)) {
    const wanted = (b.labels as (string | { name: string })[]).map((l) =>
      typeof l === "string" ? l : l.name,
    );
    for (const old of [...issue.labels])
      if (!wanted.includes(old)) await removeLabel(ctx, repo, issue, ctx.actor, old);
    await addLabels(ctx, repo, issue, ctx.actor, wanted);
  }
  if (b.state === "open" || b.state === "closed")
    await setIssueState(ctx, repo, issue, ctx.actor, b.state, b.state_reason as string | null);
  return ok(issueJson(ctx.world, repo, issue));
}

function permissionOf(repo: Repo, login: string): PermissionLevel {
  if (login.toLowerCase() === repo.owner.login.toLowerCase()) return "admin";
  return repo.permissions.get(login.toLowerCase()) ?? "none";
}

const LEGACY: Record<PermissionLevel, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

register({
  "issues/create": async (ctx) => {
    const repo = repoOf(ctx);
    const labels = ((ctx.body.labels ?? []) as (string | { name: string })[]).map((l) =>
      typeof l === "string" ? l : l.name,
    );
    const issue = await createIssue(ctx, repo, ctx.actor, {
      title: str(ctx.body.title, "title"),
      body: (ctx.body.body as string) ?? null,
      labels,
    });
    return ok(issueJson(ctx.world, repo, issue), 201, {
      location: `${repoApi(ctx.world, repo)}/issues/${issue.number}`,
    });
  },
  "issues/get": (ctx) => {
    const repo = repoOf(ctx);
    return ok(issueJson(ctx.world, repo, issueOf(repo, ctx.params.issue_number)));
  },
  "issues/list-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const labels = (ctx.query.get("labels") ?? "")
      .split(",")
      .filter(Boolean)
      .map((l) => l.toLowerCase());
    const items = [...repo.issues.values()]
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
      .reverse();
    return paginate(ctx, items, `/repos/${repo.owner.login}/${repo.name}/issues`, (page) =>
      page.map((i) => issueJson(ctx.world, repo, i)),
    );
  },
  "issues/update": updateIssue,
  "issues/list-comments": (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(repo, ctx.params.issue_number);
    const since = ctx.query.get("since");
    const items = [...repo.comments.values()].filter(
      (c) => c.issueNumber === issue.number && (!since || c.updatedAt >= since),
    );
    return paginate(
      ctx,
      items,
      `/repos/${repo.owner.login}/${repo.name}/issues/${issue.number}/comments`,
      (page) => page.map((c) => commentJson(ctx.world, repo, c)),
    );
  },
  "issues/create-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = createComment(
      ctx,
      repo,
      issueOf(repo, ctx.params.issue_number),
      ctx.actor,
      str(ctx.body.body, "body"),
    );
    const json = commentJson(ctx.world, repo, comment);
    return ok(json, 201, { location: String(json.url) });
  },
  "issues/get-comment": (ctx) => {
    const repo = repoOf(ctx);
    return ok(commentJson(ctx.world, repo, commentOf(repo, ctx.params.comment_id)));
  },
  "issues/update-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(repo, ctx.params.comment_id);
    editComment(ctx, repo, comment, ctx.actor, str(ctx.body.body, "body"));
    return ok(commentJson(ctx.world, repo, comment));
  },
  "reactions/create-for-issue-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(repo, ctx.params.comment_id);
    const content = str(ctx.body.content, "content");
    const existing = comment.reactions.find((r) => r.user.id === ctx.actor.id && r.content === content);
    const reaction = existing ?? {
      id: ctx.world.nextId(),
      user: ctx.actor,
      content,
      createdAt: ctx.world.now(),
    };
    if (!existing) comment.reactions.push(reaction);
    const json = {
      id: reaction.id,
      node_id: nodeId("Reaction", reaction.id),
      user: userJson(ctx.world, reaction.user),
      content,
      created_at: reaction.createdAt,
    };
    return ok(json, existing ? 200 : 201);
  },
  "reactions/list-for-issue-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(repo, ctx.params.comment_id);
    const content = ctx.query.get("content");
    const items = comment.reactions.filter((r) => !content || r.content === content);
    return paginate(
      ctx,
      items,
      `/repos/${repo.owner.login}/${repo.name}/issues/comments/${comment.id}/reactions`,
      (page) =>
        page.map((r) => ({
          id: r.id,
          node_id: nodeId("Reaction", r.id),
          user: userJson(ctx.world, r.user),
          content: r.content,
          created_at: r.createdAt,
        })),
    );
  },
  "issues/add-labels": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(repo, ctx.params.issue_number);
    const raw = Array.isArray(ctx.body) ? (ctx.body as unknown[]) : ((ctx.body.labels ?? []) as unknown[]);
    const names = raw.map((l) => (typeof l === "string" ? l : (l as { name: string }).name));
    await addLabels(ctx, repo, issue, ctx.actor, names);
    return ok(issue.labels.map((n) => labelJson(ctx.world, repo, repo.labels.get(n.toLowerCase())!)));
  },
  "issues/remove-label": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(repo, ctx.params.issue_number);
    await removeLabel(ctx, repo, issue, ctx.actor, ctx.params.name ?? "");
    return ok(issue.labels.map((n) => labelJson(ctx.world, repo, repo.labels.get(n.toLowerCase())!)));
  },
  "issues/create-label": (ctx) => {
    const repo = repoOf(ctx);
    const name = str(ctx.body.name, "name");
    if (repo.labels.has(name.toLowerCase()))
      throw unprocessable("Validation Failed", [
        { resource: "Label", code: "already_exists", field: "name" },
      ]);
    // `color` is "the hexadecimal color code for the label, without the leading #"
    // (https://docs.github.com/en/rest/issues/labels#create-a-label); anything else is refused as
    // recorded in @octokit/fixtures' errors scenario.
    if (ctx.body.color !== undefined && !/^[0-9a-f]{6}$/i.test(String(ctx.body.color)))
      throw unprocessable("Validation Failed", [{ resource: "Label", code: "invalid", field: "color" }]);
    const label = ensureLabel(
      ctx,
      repo,
      name,
      (ctx.body.color as string) ?? "ededed",
      (ctx.body.description as string) ?? null,
    );
    return ok(labelJson(ctx.world, repo, label), 201);
  },
  "issues/get-label": (ctx) => {
    const repo = repoOf(ctx);
    const label = repo.labels.get((ctx.params.name ?? "").toLowerCase());
    if (!label) throw notFound();
    return ok(labelJson(ctx.world, repo, label));
  },
  "repos/get-collaborator-permission-level": (ctx) => {
    const repo = repoOf(ctx);
    const user = ensureUser(ctx.world, ctx.params.username ?? "");
    const level = permissionOf(repo, user.login);
    return ok({
      permission: LEGACY[level],
      role_name: level,
      user: { ...userJson(ctx.world, user), role_name: level },
    });
  },
  "teams/get-membership-for-user-in-org": (ctx) => {
    const members = ctx.world.teams.get(
      `${ctx.params.org ?? ""}/${ctx.params.team_slug ?? ""}`.toLowerCase(),
    );
    const login = (ctx.params.username ?? "").toLowerCase();
    if (!members?.has(login)) throw notFound();
    return ok({ url: `${ctx.world.baseUrl}/teams/1/memberships/${login}`, role: "member", state: "active" });
  },
});
