// JSON shapes of GitHub objects, built to the OpenAPI schemas (responses are validated against them).
import type { App, CheckRun, CheckSuite, Comment, Issue, Label, Repo, Review, User, World } from "./state.js";

export const HTML = "https://github.com";

type Json = Record<string, unknown>;

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString("base64");
}

export function userJson(world: World, user: User): Json {
  const api = `${world.baseUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url:
      user.type === "Bot" ? `${HTML}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${HTML}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/**
 * The no-reply address of a user. GitHub writes bots' with `[bot]`, which its own OpenAPI
 * `email` format rejects; the sandbox spells it `-bot` so every response stays valid.
 */
export function noreplyEmail(user: User): string {
  return `${user.id}+${user.login.replace(/\[bot\]$/, "-bot")}@users.noreply.github.com`;
}

export function repoApi(world: World, repo: Repo): string {
  return `${world.baseUrl}/repos/${repo.owner.login}/${repo.name}`;
}

const REPO_URLS: Record<string, string> = {
  archive_url: "/{archive_format}{/ref}",
  assignees_url: "/assignees{/user}",
  blobs_url: "/git/blobs{/sha}",
  branches_url: "/branches{/branch}",
  collaborators_url: "/collaborators{/collaborator}",
  comments_url: "/comments{/number}",
  commits_url: "/commits{/sha}",
  compare_url: "/compare/{base}...{head}",
  contents_url: "/contents/{+path}",
  contributors_url: "/contributors",
  deployments_url: "/deployments",
  downloads_url: "/downloads",
  events_url: "/events",
  forks_url: "/forks",
  git_commits_url: "/git/commits{/sha}",
  git_refs_url: "/git/refs{/sha}",
  git_tags_url: "/git/tags{/sha}",
  hooks_url: "/hooks",
  issue_comment_url: "/issues/comments{/number}",
  issue_events_url: "/issues/events{/number}",
  issues_url: "/issues{/number}",
  keys_url: "/keys{/key_id}",
  labels_url: "/labels{/name}",
  languages_url: "/languages",
  merges_url: "/merges",
  milestones_url: "/milestones{/number}",
  notifications_url: "/notifications{?since,all,participating}",
  pulls_url: "/pulls{/number}",
  releases_url: "/releases{/id}",
  stargazers_url: "/stargazers",
  statuses_url: "/statuses/{sha}",
  subscribers_url: "/subscribers",
  subscription_url: "/subscription",
  tags_url: "/tags",
  teams_url: "/teams",
  trees_url: "/git/trees{/sha}",
};

export function repoJson(world: World, repo: Repo): Json {
  const api = repoApi(world, repo);
  const full = `${repo.owner.login}/${repo.name}`;
  const urls = Object.fromEntries(Object.entries(REPO_URLS).map(([k, v]) => [k, `${api}${v}`]));
  const openIssues = [...repo.issues.values()].filter((i) => i.state === "open").length;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    owner: userJson(world, repo.owner),
    private: true,
    html_url: `${HTML}/${full}`,
    description: null,
    fork: false,
    url: api,
    ...urls,
    clone_url: `${HTML}/${full}.git`,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    svn_url: `${HTML}/${full}`,
    mirror_url: null,
    homepage: null,
    language: "Python",
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: "private",
    license: null,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    network_count: 0,
    subscribers_count: 0,
    web_commit_signoff_required: false,
    custom_properties: {},
  };
}

/**
 * The repository as webhooks carry it: the REST full-repository without the counts only
 * `GET /repos/{owner}/{repo}` answers (network_count, subscribers_count); GitHub's webhook
 * schemas (@octokit/webhooks-schemas `repository`) do not allow them.
 */
export function webhookRepoJson(world: World, repo: Repo): Json {
  const { network_count: _n, subscribers_count: _s, ...rest } = repoJson(world, repo);
  return rest;
}

/** The short repository of workflow runs in webhooks (@octokit/webhooks-schemas `repository-lite`). */
export function liteRepoJson(world: World, repo: Repo): Json {
  const full = repoJson(world, repo);
  const keys = [
    "id",
    "node_id",
    "name",
    "full_name",
    "private",
    "owner",
    "html_url",
    "description",
    "fork",
    "url",
    ...Object.keys(REPO_URLS),
  ];
  return Object.fromEntries(keys.map((k) => [k, full[k]]));
}

/** Seconds since the epoch: `push` payloads give the repository's created_at and pushed_at so. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function labelJson(world: World, repo: Repo, label: Label): Json {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${repoApi(world, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

export function authorAssociation(repo: Repo, user: User): string {
  if (user.type === "Bot") return "NONE";
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  const level = repo.permissions.get(user.login.toLowerCase());
  if (level === "admin" || level === "maintain" || level === "write") return "MEMBER";
  return level ? "COLLABORATOR" : "CONTRIBUTOR";
}

function reactionRollup(world: World, url: string, reactions: { content: string }[]): Json {
  const count = (c: string): number => reactions.filter((r) => r.content === c).length;
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    "+1": count("+1"),
    "-1": count("-1"),
    laugh: count("laugh"),
    confused: count("confused"),
    heart: count("heart"),
    hooray: count("hooray"),
    eyes: count("eyes"),
    rocket: count("rocket"),
  };
}

export function issueJson(world: World, repo: Repo, issue: Issue): Json {
  const api = `${repoApi(world, repo)}/issues/${issue.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  const kind = issue.pull ? "pull" : "issues";
  const json: Json = {
    id: issue.id,
    node_id: nodeId("Issue", issue.id),
    url: api,
    repository_url: repoApi(world, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/${kind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(world, issue.user),
    labels: issue.labels.map((name) => labelJson(world, repo, repo.labels.get(name.toLowerCase())!)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(repo, issue.user),
    reactions: reactionRollup(world, api, []),
    draft: false,
  };
  if (issue.pull) {
    const pulls = `${repoApi(world, repo)}/pulls/${issue.number}`;
    json.pull_request = {
      url: pulls,
      html_url: `${HTML}/${repo.owner.login}/${repo.name}/pull/${issue.number}`,
      diff_url: `${HTML}/${repo.owner.login}/${repo.name}/pull/${issue.number}.diff`,
      patch_url: `${HTML}/${repo.owner.login}/${repo.name}/pull/${issue.number}.patch`,
      merged_at: issue.pull.mergedAt,
    };
    json.draft = issue.pull.draft;
  }
  return json;
}

export function commentJson(world: World, repo: Repo, comment: Comment): Json {
  const url = `${repoApi(world, repo)}/issues/comments/${comment.id}`;
  const issue = repo.issues.get(comment.issueNumber);
  const kind = issue?.pull ? "pull" : "issues";
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(world, repo)}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(world, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(repo, comment.user),
    reactions: reactionRollup(world, url, comment.reactions),
    // Set when an App wrote the comment through its installation, else null; webhook payloads
    // always carry the key (@octokit/webhooks-schemas `issue_comment$created`: required).
    performed_via_github_app: comment.user.id === world.app.bot.id ? appJson(world, world.app) : null,
  };
}

/**
 * REST spells a review's state upper-case (APPROVED); webhooks spell it lower-case (approved):
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request_review and the
 * `review.state` enum of @octokit/webhooks-schemas.
 */
export function webhookReviewJson(world: World, repo: Repo, review: Review): Json {
  return { ...reviewJson(world, repo, review), state: review.state.toLowerCase() };
}

export function reviewJson(world: World, repo: Repo, review: Review): Json {
  const pr = `${repoApi(world, repo)}/pulls/${review.pullNumber}`;
  const html = `${HTML}/${repo.owner.login}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: userJson(world, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pr,
    _links: { html: { href: html }, pull_request: { href: pr } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: authorAssociation(repo, review.user),
  };
}

export function appJson(world: World, app: App): Json {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.${app.id}`,
    owner: userJson(world, app.owner),
    name: app.name,
    description: null,
    external_url: `https://${app.slug}.example.test`,
    html_url: `${HTML}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: {
      checks: "write",
      contents: "write",
      issues: "write",
      pull_requests: "write",
      metadata: "read",
    },
    events: ["check_run", "check_suite", "issue_comment", "issues", "pull_request", "push", "release"],
  };
}

function minimalRepoJson(world: World, repo: Repo): Json {
  const full = repoJson(world, repo);
  return full;
}

/** Open same-repository PRs whose head is `sha`, as GitHub lists them on check suites and runs. */
export function pullRequestsFor(world: World, repo: Repo, sha: string): Json[] {
  const api = repoApi(world, repo);
  const repoRef = { id: repo.id, url: api, name: repo.name };
  return [...repo.issues.values()]
    .filter((issue) => issue.pull && issue.state === "open" && issue.pull.headSha === sha)
    .map((issue) => ({
      id: issue.id,
      number: issue.number,
      url: `${api}/pulls/${issue.number}`,
      head: { ref: issue.pull!.head, sha, repo: repoRef },
      base: { ref: issue.pull!.base, sha, repo: repoRef },
    }));
}

export function checkSuiteJson(world: World, repo: Repo, suite: CheckSuite, withRepo = true): Json {
  const runs = repo.checkRuns.filter((r) => r.suiteId === suite.id);
  const done = runs.length > 0 && runs.every((r) => r.status === "completed");
  const conclusion = done && !suite.requeued ? suiteConclusion(runs.map((r) => r.conclusion)) : null;
  const json: Json = {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: suite.requeued ? "queued" : done ? "completed" : runs.length > 0 ? "in_progress" : "queued",
    conclusion,
    url: `${repoApi(world, repo)}/check-suites/${suite.id}`,
    before: null,
    after: suite.headSha,
    pull_requests: pullRequestsFor(world, repo, suite.headSha),
    app: appJson(world, suite.app),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
    head_commit: suite.headCommit ?? null,
    latest_check_runs_count: runs.length,
    check_runs_url: `${repoApi(world, repo)}/check-suites/${suite.id}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
  if (withRepo) json.repository = minimalRepoJson(world, repo);
  return json;
}

/** A check suite inside a check_run webhook (@octokit/webhooks-schemas `check_run.check_suite`). */
export function webhookSuiteOfRun(world: World, repo: Repo, suite: CheckSuite): Json {
  const full = checkSuiteJson(world, repo, suite, false);
  const keys = ["id", "node_id", "head_branch", "head_sha", "status", "conclusion", "url", "before", "after"];
  return {
    ...Object.fromEntries(keys.map((k) => [k, full[k]])),
    pull_requests: full.pull_requests,
    app: full.app,
    created_at: full.created_at,
    updated_at: full.updated_at,
  };
}

export function suiteConclusion(conclusions: (string | null)[]): string {
  for (const c of ["action_required", "cancelled", "timed_out", "failure", "stale", "startup_failure"]) {
    if (conclusions.includes(c)) return c === "cancelled" || c === "timed_out" ? "failure" : c;
  }
  if (conclusions.every((c) => c === "skipped" || c === "neutral")) return "neutral";
  return "success";
}

export function checkRunJson(world: World, repo: Repo, run: CheckRun): Json {
  const url = `${repoApi(world, repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.headSha,
    external_id: run.externalId ?? "",
    url,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${HTML}/${repo.owner.login}/${repo.name}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: appJson(world, run.app),
    pull_requests: pullRequestsFor(world, repo, run.headSha),
  };
}
