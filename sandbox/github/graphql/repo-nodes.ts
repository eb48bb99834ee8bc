// Repository, Release and PullRequest in the sandbox's GraphQL, over the sandbox's state.
// Field shapes follow GitHub's GraphQL reference: https://docs.github.com/en/graphql/reference/objects
// (#repository, #release, #pullrequest); connections page as
// https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api describes.
import { HTML, nodeId } from "../payloads.js";
import type { Issue, Release, Repo, User } from "../state.js";
import { connection, type ConnectionArgs } from "./connection.js";
import {
  commitNode,
  objectByExpression,
  objectNode,
  refNode,
  type GqlNode,
  type GqlScope,
} from "./git-nodes.js";

type Direction = "ASC" | "DESC";
interface Order {
  field: string;
  direction: Direction;
}

const repoUrl = (repo: Repo): string => `${HTML}/${repo.owner.login}/${repo.name}`;

const actorNode = (user: User): GqlNode => ({
  __typename: user.type === "Bot" ? "Bot" : user.type === "Organization" ? "Organization" : "User",
  id: nodeId(user.type, user.id),
  login: user.login,
  url: `${HTML}/${user.login.replace(/\[bot\]$/, "")}`,
});

/** Sort by `key`, ties by id (creation order), then flip for DESC. */
function ordered<T extends { id: number }>(items: T[], key: (t: T) => string, direction: Direction): T[] {
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
  return direction === "DESC" ? sorted.reverse() : sorted;
}

// https://docs.github.com/en/graphql/reference/objects#release
function releaseNode(scope: GqlScope, repo: Repo, r: Release): GqlNode {
  const tagRef = `refs/tags/${r.tagName}`;
  return {
    __typename: "Release",
    id: nodeId("Release", r.id),
    databaseId: r.id,
    name: r.name,
    tagName: r.tagName,
    description: r.body,
    url: `${repoUrl(repo)}/releases/${r.draft ? `untagged-${r.id}` : `tag/${encodeURIComponent(r.tagName)}`}`,
    isDraft: r.draft,
    isPrerelease: r.prerelease,
    isLatest: () => latestRelease(repo)?.id === r.id,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
    author: actorNode(r.author),
    // "The Git tag the release points to": null while the tag does not exist (a draft's tag is
    // only created when the release is published).
    tag: () => refNode(scope, repo, tagRef),
    tagCommit: async () => {
      const sha = await repo.git.resolve(tagRef);
      return sha ? commitNode(scope, repo, sha) : null;
    },
  };
}

/** GitHub's "latest release": the most recently created non-draft, non-prerelease release. */
function latestRelease(repo: Repo): Release | undefined {
  return [...repo.releases].reverse().find((x) => !x.draft && !x.prerelease);
}

// https://docs.github.com/en/graphql/reference/enums#pullrequeststate
const pullState = (issue: Issue): string =>
  issue.pull?.merged ? "MERGED" : issue.state === "open" ? "OPEN" : "CLOSED";

// https://docs.github.com/en/graphql/reference/objects#pullrequest
export function pullNode(scope: GqlScope, repo: Repo, issue: Issue): GqlNode {
  const pull = issue.pull!;
  const files = async () => {
    const base = pull.mergeCommitSha
      ? (await repo.git.readCommit(pull.mergeCommitSha)).parents[0]
      : await repo.git.readRef(`refs/heads/${pull.base}`);
    const from = base ? await repo.git.mergeBase(base, pull.headSha) : undefined;
    return repo.git.diff(from, pull.headSha);
  };
  return {
    __typename: "PullRequest",
    id: nodeId("PullRequest", issue.id),
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    url: `${repoUrl(repo)}/pull/${issue.number}`,
    state: pullState(issue),
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    closed: issue.state === "closed",
    isDraft: pull.draft,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    author: actorNode(issue.user),
    baseRefName: pull.base,
    headRefName: pull.head,
    headRefOid: pull.headSha,
    mergeCommit: () => (pull.mergeCommitSha ? commitNode(scope, repo, pull.mergeCommitSha) : null),
    labels: (args: ConnectionArgs) =>
      connection(
        "labels",
        `labels:${issue.id}`,
        issue.labels.map((name) => {
          const label = repo.labels.get(name.toLowerCase());
          return {
            __typename: "Label",
            id: nodeId("Label", label?.id ?? 0),
            name: label?.name ?? name,
            color: label?.color ?? "ededed",
            description: label?.description ?? null,
          };
        }),
        args,
      ),
    // https://docs.github.com/en/graphql/reference/objects#pullrequestchangedfile
    files: async (args: ConnectionArgs) =>
      connection(
        "files",
        `files:${issue.id}:${pull.headSha}`,
        (await files()).map((f) => ({
          __typename: "PullRequestChangedFile",
          path: f.filename,
          additions: f.additions,
          deletions: f.deletions,
          changeType: f.status === "added" ? "ADDED" : f.status === "removed" ? "DELETED" : "MODIFIED",
        })),
        args,
      ),
  };
}

interface PullsArgs extends ConnectionArgs {
  states?: string[] | null;
  baseRefName?: string | null;
  headRefName?: string | null;
  labels?: string[] | null;
  orderBy?: Order | null;
}

export function repositoryNode(scope: GqlScope, repo: Repo): GqlNode {
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner.login}/${repo.name}`,
    url: repoUrl(repo),
    owner: actorNode(repo.owner),
    defaultBranchRef: () => refNode(scope, repo, `refs/heads/${repo.defaultBranch}`),
    ref: (args: { qualifiedName: string }) => refNode(scope, repo, args.qualifiedName),
    object: async (args: { oid?: string | null; expression?: string | null }) => {
      if (args.oid) {
        const type = await repo.git.objectType(args.oid);
        return type ? objectNode(scope, repo, args.oid, type, "") : null;
      }
      return args.expression ? objectByExpression(scope, repo, args.expression) : null;
    },
    // Repository.releases(orderBy: ReleaseOrder {field: CREATED_AT | NAME, direction}).
    // Without orderBy the sandbox lists newest first, as the REST list does.
    releases: (args: ConnectionArgs & { orderBy?: Order | null }) => {
      const order = args.orderBy ?? { field: "CREATED_AT", direction: "DESC" };
      const key = order.field === "NAME" ? (r: Release) => r.name ?? r.tagName : (r: Release) => r.createdAt;
      return connection(
        "releases",
        `releases:${repo.id}:${order.field}:${order.direction}`,
        ordered(repo.releases, key, order.direction).map((r) => releaseNode(scope, repo, r)),
        args,
      );
    },
    release: (args: { tagName: string }) => {
      const r = [...repo.releases].reverse().find((x) => x.tagName === args.tagName);
      return r ? releaseNode(scope, repo, r) : null;
    },
    latestRelease: () => {
      const r = latestRelease(repo);
      return r ? releaseNode(scope, repo, r) : null;
    },
    // Repository.pullRequests(states, baseRefName, headRefName, labels, orderBy: IssueOrder
    // {field: CREATED_AT | UPDATED_AT | COMMENTS}); without orderBy, oldest first.
    pullRequests: (args: PullsArgs) => {
      const order = args.orderBy ?? { field: "CREATED_AT", direction: "ASC" };
      if (order.field === "COMMENTS")
        throw new Error("pullRequests(orderBy: COMMENTS) is not modelled by the sandbox");
      const pulls = [...repo.issues.values()].filter(
        (i) =>
          i.pull &&
          (!args.states?.length || args.states.includes(pullState(i))) &&
          (!args.baseRefName || i.pull.base === args.baseRefName) &&
          (!args.headRefName || i.pull.head === args.headRefName) &&
          (!args.labels?.length ||
            args.labels.some((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase()))),
      );
      const key = order.field === "UPDATED_AT" ? (i: Issue) => i.updatedAt : (i: Issue) => i.createdAt;
      const sorted = [...pulls].sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
      if (order.direction === "DESC") sorted.reverse();
      return connection(
        "pullRequests",
        `pullRequests:${repo.id}:${JSON.stringify([args.states, args.baseRefName, args.headRefName, args.labels, order])}`,
        sorted.map((i) => pullNode(scope, repo, i)),
        args,
      );
    },
    pullRequest: (args: { number: number }) => {
      const issue = repo.issues.get(args.number);
      return issue?.pull ? pullNode(scope, repo, issue) : null;
    },
  };
}
