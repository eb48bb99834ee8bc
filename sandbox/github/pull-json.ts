// The pull-request JSON, computed from git (commits, additions, mergeability) like GitHub does.
import {
  HTML,
  authorAssociation,
  labelJson,
  nodeId,
  repoApi,
  userJson,
  webhookRepoJson,
} from "./payloads.js";
import type { Issue, Repo, World } from "./state.js";

async function branchSide(
  world: World,
  repo: Repo,
  branch: string,
  sha: string,
): Promise<Record<string, unknown>> {
  return {
    label: `${repo.owner.login}:${branch}`,
    ref: branch,
    sha,
    user: userJson(world, repo.owner),
    // A pull request's head and base repositories carry no network or subscriber counts, in REST
    // (the `repository` schema) as in webhooks.
    repo: webhookRepoJson(world, repo),
  };
}

export async function pullJson(
  world: World,
  repo: Repo,
  issue: Issue,
  full = true,
): Promise<Record<string, unknown>> {
  const pull = issue.pull!;
  const api = `${repoApi(world, repo)}/pulls/${issue.number}`;
  const issueApi = `${repoApi(world, repo)}/issues/${issue.number}`;
  const html = `${HTML}/${repo.owner.login}/${repo.name}/pull/${issue.number}`;
  const baseSha = (await repo.git.readRef(`refs/heads/${pull.base}`)) ?? pull.headSha;
  const json: Record<string, unknown> = {
    url: api,
    id: issue.id,
    node_id: nodeId("PullRequest", issue.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(world, repo)}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi(world, repo)}/statuses/${pull.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(world, issue.user),
    body: issue.body,
    // A pull request's labels carry `description` as a string (GitHub's schema for this list
    // does not allow null, unlike the issue's), so a label without one shows "".
    labels: issue.labels.map((n) => {
      const label = labelJson(world, repo, repo.labels.get(n.toLowerCase())!);
      return { ...label, description: label.description ?? "" };
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: await branchSide(world, repo, pull.head, pull.headSha),
    base: await branchSide(world, repo, pull.base, baseSha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi(world, repo)}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi(world, repo)}/statuses/${pull.headSha}` },
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    draft: pull.draft,
  };
  if (!full) return json;
  const mergeBase = (await repo.git.mergeBase(baseSha, pull.headSha)) ?? baseSha;
  const files = pull.merged ? [] : await repo.git.diff(mergeBase, pull.headSha);
  const commits = await repo.git.revList(["--count", `${mergeBase}..${pull.headSha}`]);
  const mergeable = pull.merged ? null : (await repo.git.mergeTree(baseSha, pull.headSha)) !== undefined;
  return {
    ...json,
    merged: pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: pull.merged ? "unknown" : mergeable ? "clean" : "dirty",
    merged_by: pull.mergedBy ? userJson(world, pull.mergedBy) : null,
    comments: [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: Number(commits[0] ?? 0),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
