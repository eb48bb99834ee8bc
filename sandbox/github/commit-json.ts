// Commit, git-commit and diff-entry JSON built from real git objects.
import type { CommitObject, FileChange } from "./git-store.js";
import { HTML, nodeId, repoApi, userJson } from "./payloads.js";
import type { Repo, World } from "./state.js";

const UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

function person(p: CommitObject["author"]): Record<string, unknown> {
  return { name: p.name, email: p.email, date: p.date };
}

export function gitCommitJson(world: World, repo: Repo, c: CommitObject): Record<string, unknown> {
  const api = repoApi(world, repo);
  return {
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    url: `${api}/git/commits/${c.sha}`,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/commit/${c.sha}`,
    author: person(c.author),
    committer: person(c.committer),
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message.replace(/\n$/, ""),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/git/commits/${p}`,
      html_url: `${HTML}/${repo.owner.login}/${repo.name}/commit/${p}`,
    })),
    verification: UNSIGNED,
  };
}

function accountFor(world: World, name: string): Record<string, unknown> | null {
  const user = world.users.get(name.toLowerCase());
  return user ? userJson(world, user) : null;
}

export function diffEntryJson(world: World, repo: Repo, ref: string, f: FileChange): Record<string, unknown> {
  const path = f.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${HTML}/${repo.owner.login}/${repo.name}/blob/${ref}/${path}`,
    raw_url: `${HTML}/${repo.owner.login}/${repo.name}/raw/${ref}/${path}`,
    contents_url: `${repoApi(world, repo)}/contents/${path}?ref=${ref}`,
  };
}

export async function commitJson(
  world: World,
  repo: Repo,
  sha: string,
  withFiles: boolean,
): Promise<Record<string, unknown>> {
  const c = await repo.git.readCommit(sha);
  const api = repoApi(world, repo);
  const json: Record<string, unknown> = {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: nodeId("Commit", sha),
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: person(c.author),
      committer: person(c.committer),
      message: c.message.replace(/\n$/, ""),
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: UNSIGNED,
    },
    author: accountFor(world, c.author.name),
    committer: accountFor(world, c.committer.name),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${HTML}/${repo.owner.login}/${repo.name}/commit/${p}`,
    })),
  };
  if (withFiles) {
    const files = await repo.git.diff(c.parents[0], sha);
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    json.stats = { additions, deletions, total: additions + deletions };
    json.files = files.map((f) => diffEntryJson(world, repo, sha, f));
  }
  return json;
}
