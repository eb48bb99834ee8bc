// Webhook emission shared by API handlers and actors: what GitHub sends after each write.
import { noreplyEmail } from "./payloads.js";
import { HTML, checkSuiteJson, epochSeconds, issueJson, userJson, webhookRepoJson } from "./payloads.js";
import { pullJson } from "./pull-json.js";
import type { Issue, Repo, User, World } from "./state.js";
import type { Emitter } from "./webhooks.js";

export interface Scope {
  world: World;
  hooks: Emitter;
}

export function emit(
  scope: Scope,
  repo: Repo,
  sender: User,
  event: string,
  payload: Record<string, unknown>,
): void {
  scope.hooks.emit(event, {
    repository: webhookRepoJson(scope.world, repo),
    ...payload,
    sender: userJson(scope.world, sender),
  });
}

export async function emitIssueEvent(
  scope: Scope,
  repo: Repo,
  sender: User,
  issue: Issue,
  action: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (issue.pull) {
    emit(scope, repo, sender, "pull_request", {
      action,
      number: issue.number,
      pull_request: await pullJson(scope.world, repo, issue),
      ...extra,
    });
  } else {
    emit(scope, repo, sender, "issues", { action, issue: issueJson(scope.world, repo, issue), ...extra });
  }
}

async function pushCommitJson(scope: Scope, repo: Repo, sha: string): Promise<Record<string, unknown>> {
  const c = await repo.git.readCommit(sha);
  const files = await repo.git.diff(c.parents[0], sha);
  const pick = (s: string): string[] => files.filter((f) => f.status === s).map((f) => f.filename);
  return {
    id: sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message.replace(/\n$/, ""),
    timestamp: c.committer.date,
    url: `${HTML}/${repo.owner.login}/${repo.name}/commit/${sha}`,
    author: { name: c.author.name, email: c.author.email, username: c.author.name },
    committer: { name: c.committer.name, email: c.committer.email, username: c.committer.name },
    added: pick("added"),
    removed: pick("removed"),
    modified: pick("modified"),
  };
}

/** A commit as check suites show it (`head_commit`: simple-commit in the REST and webhook schemas). */
export async function simpleCommitJson(repo: Repo, sha: string): Promise<Record<string, unknown>> {
  const c = await repo.git.readCommit(sha);
  return {
    id: sha,
    tree_id: c.tree,
    message: c.message.replace(/\n$/, ""),
    timestamp: c.committer.date,
    author: { name: c.author.name, email: c.author.email },
    committer: { name: c.committer.name, email: c.committer.email },
  };
}

const ZERO = "0".repeat(40);

/** push (and create) events after a ref moved, plus pull_request.synchronize for open PRs. */
export async function emitRefChange(
  scope: Scope,
  repo: Repo,
  sender: User,
  ref: string,
  before: string | undefined,
  after: string | undefined,
  forced = false,
): Promise<void> {
  // GitHub reports pushes of branches and tags only; other refs (a lock under refs/release-pilot/)
  // move silently.
  if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) return;
  repo.pushedAt = scope.world.now();
  const created = before === undefined;
  const deleted = after === undefined;
  const isTag = ref.startsWith("refs/tags/");
  const short = ref.replace(/^refs\/(heads|tags)\//, "");
  if (created && after && (isTag || ref.startsWith("refs/heads/"))) {
    emit(scope, repo, sender, "create", {
      ref: short,
      ref_type: isTag ? "tag" : "branch",
      master_branch: repo.defaultBranch,
      description: null,
      pusher_type: "user",
    });
  }
  let shas: string[] = [];
  if (after && !isTag) {
    const range = before
      ? [`${before}..${after}`]
      : [after, ...(await otherBranchTips(repo, ref)).map((t) => `^${t}`)];
    shas = (await repo.git.revList(["--reverse", "--max-count=20", ...range])).slice(-20);
  }
  const commits = await Promise.all(shas.map((s) => pushCommitJson(scope, repo, s)));
  const headSha = after ? await repo.git.resolve(after) : undefined;
  // GitHub's push payloads give the repository's created_at and pushed_at as Unix seconds, unlike
  // every other event (https://docs.github.com/en/webhooks/webhook-events-and-payloads#push;
  // the push examples of @octokit/webhooks-examples).
  const pushed = {
    ...webhookRepoJson(scope.world, repo),
    created_at: epochSeconds(repo.createdAt),
    pushed_at: epochSeconds(repo.pushedAt),
    stargazers: 0,
    master_branch: repo.defaultBranch,
  };
  emit(scope, repo, sender, "push", {
    ref,
    before: before ?? ZERO,
    after: after ?? ZERO,
    created,
    deleted,
    forced,
    base_ref: null,
    compare: `${HTML}/${repo.owner.login}/${repo.name}/compare/${(before ?? ZERO).slice(0, 12)}...${(after ?? ZERO).slice(0, 12)}`,
    commits,
    head_commit: headSha ? (commits.at(-1) ?? (await pushCommitJson(scope, repo, headSha))) : null,
    pusher: { name: sender.login, email: noreplyEmail(sender) },
    repository: pushed,
  });
  if (ref.startsWith("refs/heads/") && after) {
    // GitHub creates a check suite for the pushed head and asks apps with checks:write to fill it.
    const app = scope.world.app;
    if (!repo.checkSuites.some((x) => x.app.id === app.id && x.headSha === after)) {
      const now = scope.world.now();
      const suite = {
        id: scope.world.nextId(),
        headSha: after,
        headBranch: short,
        app,
        createdAt: now,
        updatedAt: now,
        headCommit: await simpleCommitJson(repo, after),
      };
      repo.checkSuites.push(suite);
      emit(scope, repo, sender, "check_suite", {
        action: "requested",
        check_suite: checkSuiteJson(scope.world, repo, suite, false),
      });
    }
    for (const issue of repo.issues.values()) {
      if (issue.pull && issue.state === "open" && issue.pull.head === short && issue.pull.headSha !== after) {
        const previous = issue.pull.headSha;
        issue.pull.headSha = after;
        issue.updatedAt = scope.world.now();
        await emitIssueEvent(scope, repo, sender, issue, "synchronize", { before: previous, after });
      }
    }
  }
}

async function otherBranchTips(repo: Repo, except: string): Promise<string[]> {
  return (await repo.git.listRefs("refs/heads/")).filter((r) => r.ref !== except).map((r) => r.sha);
}

/**
 * Move a ref and emit what GitHub emits. `expected` guards non-forced moves: the ref moves only
 * if it still points there (git's compare-and-swap; it throws otherwise).
 */
export async function writeRef(
  scope: Scope,
  repo: Repo,
  sender: User,
  ref: string,
  sha: string | undefined,
  forced = false,
  /** The ref's value to swap from; null: the ref must not exist (a create); absent: read it now. */
  expected?: string | null,
): Promise<void> {
  const before = expected === null ? undefined : (expected ?? (await repo.git.readRef(ref)));
  if (sha === undefined) await repo.git.deleteRef(ref);
  else await repo.git.updateRef(ref, sha, before ?? ZERO);
  await emitRefChange(scope, repo, sender, ref, before, sha, forced);
}
