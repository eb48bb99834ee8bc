import type { TreeReach } from "../../domain/release/version-file-reach.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import type { Octokit } from "./octokit.js";
import { type QueryPart, repositoryQuery } from "./dirs-touched-query.js";

/** A blob a walk listed: its SHA and size (TreeEntry.size). */
export interface BlobEntry {
  sha: string;
  size: number | undefined;
}

/** Walk requests for one tree: a typical repository takes one, a deep one a few. */
export const MAX_WALK_REQUESTS = 6;
/** Directories asked per request (aliases of one query). */
export const MAX_DIRS_PER_REQUEST = 100;
/** Entries listed for one tree, whatever a crafted tree holds: past it, no directory is descended. */
export const MAX_ENTRIES = 50_000;
/** Levels of one directory's listing a request asks below a directory the walk found (not one the config names). */
export const FOUND_LEVELS_PER_REQUEST = 2;
/** Levels a request asks of a directory the config names (trusted to hold source, not data). */
const NAMED_LEVELS_PER_REQUEST = 3;

interface EntryAnswer {
  name?: string;
  type?: string;
  oid?: string;
  size?: number;
  object?: { entries?: EntryAnswer[] | null } | null;
}
type TreeAnswer =
  { entries?: EntryAnswer[] | null; tree?: { entries?: EntryAnswer[] | null } | null } | null | undefined;

/** `entries { … }` nested `levels` deep: https://docs.github.com/en/graphql/reference/objects#tree, #treeentry. */
const entriesField = (levels: number): string =>
  levels <= 1
    ? "entries { name type oid size }"
    : `entries { name type oid size object { ... on Tree { ${entriesField(levels - 1)} } } }`;

interface Ask {
  dir: string;
  /** A tree SHA, or a `<tree>:<dir>` revision expression for a directory the config names. */
  oid?: string;
  expression?: string;
  levels: number;
}

/**
 * The blobs of a tree under the directories `reach` keeps, listed with GraphQL a few levels a
 * request: each directory asked as `object(oid:)` or, for one the config names,
 * `object(expression: "<tree>:<dir>")`, its entries nested to a fixed depth, several directories
 * per request as aliases (https://docs.github.com/en/graphql/reference/objects#repository). What
 * a listing finds is kept only where `reach` keeps it, and directories left at the bottom of a
 * listing are asked in the next request. Bounded by MAX_WALK_REQUESTS, MAX_DIRS_PER_REQUEST and
 * MAX_ENTRIES: the directories a bound left unlisted are returned as `unwalked`.
 */
export const walkTree = async (
  octokit: Octokit,
  repo: RepoRef,
  tree: string,
  reach: TreeReach,
): Promise<{ blobs: Map<string, BlobEntry>; unwalked: string[] }> => {
  const blobs = new Map<string, BlobEntry>();
  const unwalked: string[] = [];
  const asked = new Set<string>();
  let frontier: Ask[] = reach.starts.map(({ dir, levels }) => ({
    dir,
    ...(dir === "" ? { oid: tree } : { expression: `${tree}:${dir}` }),
    levels: Math.min(levels, dir === "" ? FOUND_LEVELS_PER_REQUEST : NAMED_LEVELS_PER_REQUEST),
  }));
  let entries = 0;
  const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
  const next: Ask[] = [];

  /** Records a listing of `dir`, `levels` deep, keeping only what `reach` keeps. */
  const record = (dir: string, listed: readonly EntryAnswer[], levels: number): void => {
    entries += listed.length;
    const names = listed.flatMap((e) => (typeof e.name === "string" ? [e.name] : []));
    for (const entry of listed) {
      if (typeof entry.name !== "string" || !entry.oid || entry.name.includes("/")) continue;
      const path = join(dir, entry.name);
      if (entry.type === "blob") blobs.set(path, { sha: entry.oid, size: entry.size });
      if (entry.type !== "tree" || asked.has(path)) continue;
      const wanted = reach.levelsOf(path, names);
      if (wanted <= 0) continue;
      const inner = entry.object?.entries;
      if (levels > 1 && Array.isArray(inner)) record(path, inner, Math.min(levels - 1, wanted));
      else next.push({ dir: path, oid: entry.oid, levels: Math.min(wanted, FOUND_LEVELS_PER_REQUEST) });
    }
  };

  for (let requests = 0; frontier.length > 0; requests++) {
    if (requests >= MAX_WALK_REQUESTS || entries >= MAX_ENTRIES) {
      unwalked.push(...frontier.map((a) => a.dir));
      break;
    }
    const batch = frontier.slice(0, MAX_DIRS_PER_REQUEST);
    next.push(...frontier.slice(MAX_DIRS_PER_REQUEST));
    for (const a of batch) asked.add(a.dir);
    const part: QueryPart = { declared: [], fields: [], variables: {} };
    batch.forEach((a, i) => {
      const arg = a.oid !== undefined ? "oid" : "expression";
      part.declared.push(`$t${i}: ${a.oid !== undefined ? "GitObjectID!" : "String!"}`);
      // The root may be named by its commit (a PR's head SHA): a Commit answers with its tree
      // (https://docs.github.com/en/graphql/reference/objects#commit, field `tree`).
      const entries = entriesField(a.levels);
      const commit = a.dir === "" ? ` ... on Commit { tree { ${entries} } }` : "";
      part.fields.push(`t${i}: object(${arg}: $t${i}) { ... on Tree { ${entries} }${commit} }`);
      part.variables[`t${i}`] = a.oid ?? a.expression ?? "";
    });
    const { query, variables } = repositoryQuery(repo, part);
    const data = await octokit.graphql<{ repository?: Record<string, TreeAnswer> | null }>(query, variables);
    batch.forEach((a, i) => {
      const answer = data.repository?.[`t${i}`];
      const listing = answer?.entries ?? answer?.tree?.entries;
      if (Array.isArray(listing)) record(a.dir, listing, a.levels);
    });
    // Overlapping places (a project and a glob inside it) may reach a directory twice: asked once.
    const queued = new Map(next.splice(0).map((a) => [a.dir, a]));
    frontier = [...queued.values()].filter((a) => !asked.has(a.dir));
  }
  return { blobs, unwalked };
};
