// Git objects in the sandbox's GraphQL: Commit, Tree, Blob, Tag and Ref, read from the
// repository's real git objects. Field shapes follow GitHub's GraphQL reference:
// https://docs.github.com/en/graphql/reference/objects#commit (and #tree, #blob, #tag, #ref).
// A node is a plain object; a function field is called with the field's arguments.
import { HTML, nodeId } from "../payloads.js";
import type { GitPerson } from "../git-store.js";
import type { Issue, Repo, World } from "../state.js";
import { connection, type ConnectionArgs } from "./connection.js";

export type GqlNode = Record<string, unknown> & { __typename: string };

/** What one GraphQL request shares: the world, and memos of derived facts (a PR's commits). */
export interface GqlScope {
  world: World;
  prCommits: Map<string, Promise<Set<string>>>;
  pullNode: (repo: Repo, issue: Issue) => GqlNode;
}

/** A login from a commit's e-mail: GitHub links `<id>+<login>@users.noreply.github.com` to its user. */
function userFor(scope: GqlScope, email: string): GqlNode | null {
  const m = /^\d+\+(.+)@users\.noreply\.github\.com$/.exec(email);
  const login = m?.[1]?.replace(/-bot$/, "[bot]");
  const user = login ? scope.world.users.get(login.toLowerCase()) : undefined;
  if (!user || user.type === "Organization") return null;
  return {
    __typename: user.type === "Bot" ? "Bot" : "User",
    id: nodeId(user.type, user.id),
    databaseId: user.id,
    login: user.login,
    url: `${HTML}/${user.login.replace(/\[bot\]$/, "")}`,
  };
}

// https://docs.github.com/en/graphql/reference/objects#gitactor
const gitActor = (scope: GqlScope, p: GitPerson): GqlNode => ({
  __typename: "GitActor",
  name: p.name,
  email: p.email,
  date: p.date,
  user: () => userFor(scope, p.email),
});

const repoUrl = (repo: Repo): string => `${HTML}/${repo.owner.login}/${repo.name}`;

/**
 * The commits a pull request brought: reachable from its head and not from its base (for a merged
 * pull request, the base as it was when merged: the merge commit's first parent).
 */
function commitsOf(scope: GqlScope, repo: Repo, issue: Issue): Promise<Set<string>> {
  const pull = issue.pull!;
  const key = `${repo.id}#${issue.number}@${pull.headSha}`;
  const hit = scope.prCommits.get(key);
  if (hit) return hit;
  const load = async (): Promise<Set<string>> => {
    const base = pull.mergeCommitSha
      ? (await repo.git.readCommit(pull.mergeCommitSha)).parents[0]
      : await repo.git.readRef(`refs/heads/${pull.base}`);
    const shas = await repo.git.revList(base ? [pull.headSha, `^${base}`] : [pull.headSha]);
    return new Set(shas);
  };
  const promise = load();
  scope.prCommits.set(key, promise);
  return promise;
}

/**
 * Commit.associatedPullRequests, as documented: "The merged Pull Request that introduced the
 * commit to the repository. If the commit is not present in the default branch, additionally
 * returns open Pull Requests associated with the commit."
 */
async function associatedPulls(scope: GqlScope, repo: Repo, oid: string): Promise<Issue[]> {
  const defaultHead = await repo.git.readRef(`refs/heads/${repo.defaultBranch}`);
  const onDefault = defaultHead ? await repo.git.isAncestor(oid, defaultHead) : false;
  const found: Issue[] = [];
  for (const issue of [...repo.issues.values()].sort((a, b) => a.number - b.number)) {
    const pull = issue.pull;
    if (!pull || (!pull.merged && (onDefault || issue.state !== "open"))) continue;
    if (pull.mergeCommitSha === oid || (await commitsOf(scope, repo, issue)).has(oid)) found.push(issue);
  }
  return found;
}

interface HistoryArgs extends ConnectionArgs {
  path?: string | null;
  since?: string | null;
  until?: string | null;
  author?: unknown;
}

export function commitNode(scope: GqlScope, repo: Repo, oid: string): GqlNode {
  const commit = () => repo.git.readCommit(oid);
  return {
    __typename: "Commit",
    id: nodeId("Commit", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    url: `${repoUrl(repo)}/commit/${oid}`,
    commitUrl: `${repoUrl(repo)}/commit/${oid}`,
    message: async () => (await commit()).message.replace(/\n$/, ""),
    messageHeadline: async () => (await commit()).message.split("\n")[0],
    messageBody: async () => (await commit()).message.split("\n").slice(1).join("\n").trim(),
    authoredDate: async () => (await commit()).author.date,
    committedDate: async () => (await commit()).committer.date,
    author: async () => gitActor(scope, (await commit()).author),
    committer: async () => gitActor(scope, (await commit()).committer),
    tree: async () => treeNode(scope, repo, (await commit()).tree, ""),
    parents: async (args: ConnectionArgs) =>
      connection(
        "parents",
        `parents:${oid}`,
        (await commit()).parents.map((p) => commitNode(scope, repo, p)),
        args,
      ),
    // https://docs.github.com/en/graphql/reference/objects#commit (history: "The linear commit
    // history starting from (and including) this commit, in the same order as `git log`"), with
    // `path`, `since` and `until` as git log's path limiting, --since and --until.
    history: async (args: HistoryArgs) => {
      if (args.author) throw new Error("Commit.history(author:) is not modelled by the sandbox");
      const filters = [
        ...(args.since ? [`--since=${args.since}`] : []),
        ...(args.until ? [`--until=${args.until}`] : []),
      ];
      const shas = await repo.git.revList([...filters, oid, "--", ...(args.path ? [args.path] : [])]);
      return connection(
        "history",
        `history:${oid}:${args.path ?? ""}`,
        shas.map((sha) => commitNode(scope, repo, sha)),
        args,
      );
    },
    associatedPullRequests: async (args: ConnectionArgs) =>
      connection(
        "associatedPullRequests",
        `associatedPullRequests:${oid}`,
        (await associatedPulls(scope, repo, oid)).map((issue) => scope.pullNode(repo, issue)),
        args,
      ),
  };
}

/** Git's own test for a binary blob: a NUL byte in the first 8,000 bytes (`buffer_is_binary`). */
const looksBinary = (bytes: Buffer): boolean => bytes.subarray(0, 8000).includes(0);

// https://docs.github.com/en/graphql/reference/objects#blob: `text` is null for binary content.
export function blobNode(repo: Repo, oid: string): GqlNode {
  const bytes = () => repo.git.readBlob(oid);
  return {
    __typename: "Blob",
    id: nodeId("Blob", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: async () => (await bytes()).length,
    isBinary: async () => looksBinary(await bytes()),
    isTruncated: false,
    text: async () => {
      const b = await bytes();
      return looksBinary(b) ? null : b.toString("utf8");
    },
  };
}

// https://docs.github.com/en/graphql/reference/objects#tree and #treeentry: `mode` is the git
// file mode as an integer (100644 → 33188), `path` the entry's full path in the repository.
export function treeNode(scope: GqlScope, repo: Repo, oid: string, prefix: string): GqlNode {
  return {
    __typename: "Tree",
    id: nodeId("Tree", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    entries: async () =>
      (await repo.git.lsTree(oid)).map((e) => {
        const path = prefix ? `${prefix}/${e.path}` : e.path;
        return {
          __typename: "TreeEntry",
          name: e.path,
          path,
          type: e.type,
          mode: parseInt(e.mode, 8),
          oid: e.sha,
          size: e.size ?? 0,
          extension: /\.[^./]+$/.exec(e.path)?.[0] ?? null,
          isGenerated: false,
          object: () => objectNode(scope, repo, e.sha, e.type, path),
        };
      }),
  };
}

export async function tagNode(scope: GqlScope, repo: Repo, oid: string): Promise<GqlNode> {
  const tag = await repo.git.readTag(oid);
  return {
    __typename: "Tag",
    id: nodeId("Tag", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    name: tag.tag,
    message: tag.message.replace(/\n$/, ""),
    tagger: gitActor(scope, tag.tagger),
    target: () => objectNode(scope, repo, tag.object, tag.type, ""),
  };
}

export async function objectNode(
  scope: GqlScope,
  repo: Repo,
  oid: string,
  type: string | undefined,
  path: string,
): Promise<GqlNode | null> {
  const kind = type ?? (await repo.git.objectType(oid));
  if (kind === "commit") return commitNode(scope, repo, oid);
  if (kind === "tree") return treeNode(scope, repo, oid, path);
  if (kind === "blob") return blobNode(repo, oid);
  if (kind === "tag") return tagNode(scope, repo, oid);
  return null;
}

/**
 * Repository.object(expression:): "A Git revision expression suitable for rev-parse", e.g.
 * `main:services/bank/pyproject.toml`. An expression that would read as an option is refused
 * before it reaches git; `HEAD` is the default branch, as on GitHub.
 */
export async function objectByExpression(
  scope: GqlScope,
  repo: Repo,
  expression: string,
): Promise<GqlNode | null> {
  if (expression.startsWith("-") || expression.includes("\0")) return null;
  const rev = expression.replace(/^HEAD(?=$|[:~^@])/, `refs/heads/${repo.defaultBranch}`);
  const sha = await repo.git.readRef(rev);
  if (!sha) return null;
  const colon = rev.indexOf(":");
  return objectNode(
    scope,
    repo,
    sha,
    undefined,
    colon >= 0 ? rev.slice(colon + 1).replace(/^\/+|\/+$/g, "") : "",
  );
}

/**
 * Repository.ref(qualifiedName:): "Fully qualified matches are checked in order
 * (refs/heads/master) before falling back onto checks for short name matches (master)."
 * https://docs.github.com/en/graphql/reference/objects#repository
 */
export async function refNode(scope: GqlScope, repo: Repo, qualifiedName: string): Promise<GqlNode | null> {
  const candidates = qualifiedName.startsWith("refs/")
    ? [qualifiedName]
    : [`refs/${qualifiedName}`, `refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
  for (const full of candidates) {
    if (!/^refs\/(heads|tags)\/./.test(full)) continue;
    const sha = await repo.git.readRef(full);
    if (!sha) continue;
    const prefix = full.startsWith("refs/heads/") ? "refs/heads/" : "refs/tags/";
    return {
      __typename: "Ref",
      id: nodeId("Ref", `${repo.id}:${full}`),
      name: full.slice(prefix.length),
      prefix,
      target: () => objectNode(scope, repo, sha, undefined, ""),
    };
  }
  return null;
}
