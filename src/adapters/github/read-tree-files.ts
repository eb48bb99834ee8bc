import type { TreeSnapshot } from "../../domain/release/release-plan.js";
import type { FilesWanted } from "../../domain/release/release-reads.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import type { Octokit } from "./octokit.js";
import { type QueryPart, repositoryQuery } from "./dirs-touched-query.js";
import { type BlobEntry, walkTree } from "./walk-tree.js";

/** A file read above this size reads as absent: a version file is a few KB, a CHANGELOG at most a few MB. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Blobs per GraphQL request, and bytes asked per request (by the sizes the tree lists). */
const BLOBS_PER_QUERY = 100;
const BYTES_PER_QUERY = 8 * 1024 * 1024;
/** Rounds of `wanted.pick` (a file naming another): two suffice for every reader today. */
const MAX_ROUNDS = 4;
/**
 * Blobs read for one tree, whatever a crafted tree makes the reader pick (10,000 `__init__.py`
 * files would otherwise cost 100 requests): the rest read as absent.
 */
export const MAX_BLOBS_READ = 1000;
/**
 * Fields of another query on the repository that ride in the first blob request (its aliases
 * must not start with `b<digit>`), and what reads its answer; sent alone when no blob is read.
 */
export interface Rider {
  part: QueryPart;
  read: (data: unknown) => void;
}

type BlobAnswer = { text?: string | null; byteSize?: number; isTruncated?: boolean } | null | undefined;

/** Groups blobs so each GraphQL request asks at most BLOBS_PER_QUERY blobs and BYTES_PER_QUERY bytes. */
const batches = (entries: readonly [string, BlobEntry][]): [string, BlobEntry][][] => {
  const out: [string, BlobEntry][][] = [];
  let current: [string, BlobEntry][] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry[1].size ?? 0;
    if (current.length > 0 && (current.length >= BLOBS_PER_QUERY || bytes + size > BYTES_PER_QUERY)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
};

/**
 * The texts of several blobs in one GraphQL request: `object(oid:)` as a Blob gives `text` (null
 * when binary), `byteSize` and `isTruncated` (https://docs.github.com/en/graphql/reference/objects#blob).
 * A text GitHub truncated is read whole from `GET /git/blobs/{sha}` (up to 100 MB,
 * https://docs.github.com/en/rest/git/blobs#get-a-blob) when under the cap. Blobs the tree lists
 * above MAX_FILE_BYTES are never asked for.
 */
export const readBlobTexts = async (
  octokit: Octokit,
  repo: RepoRef,
  wanted: readonly [string, BlobEntry][],
  rider?: Rider,
): Promise<Map<string, string | undefined>> => {
  const texts = new Map<string, string | undefined>();
  const small = wanted.filter(([path, entry]) => {
    const fits = entry.size === undefined || entry.size <= MAX_FILE_BYTES;
    if (!fits) texts.set(path, undefined);
    return fits;
  });
  let riding = rider;
  for (const batch of batches(small)) {
    const blobs: QueryPart = {
      declared: batch.map((_, i) => `$b${i}: GitObjectID!`),
      fields: batch.map((_, i) => `b${i}: object(oid: $b${i}) { ... on Blob { text byteSize isTruncated } }`),
      variables: Object.fromEntries(batch.map(([, entry], i) => [`b${i}`, entry.sha])),
    };
    const { query, variables } = repositoryQuery(repo, blobs, ...(riding ? [riding.part] : []));
    const data = await octokit.graphql<{ repository?: Record<string, BlobAnswer> | null }>(query, variables);
    riding?.read(data);
    riding = undefined;
    for (const [i, [path, entry]] of batch.entries()) {
      const blob = data.repository?.[`b${i}`];
      const size = blob?.byteSize ?? 0;
      if (!blob || typeof blob.text !== "string" || size > MAX_FILE_BYTES) texts.set(path, undefined);
      else if (blob.isTruncated !== true) texts.set(path, blob.text);
      else texts.set(path, await readWholeBlob(octokit, repo, entry.sha));
    }
  }
  if (riding) {
    const { query, variables } = repositoryQuery(repo, riding.part);
    riding.read(await octokit.graphql(query, variables));
  }
  return texts;
};

export const readWholeBlob = async (
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
): Promise<string | undefined> => {
  const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
  if ((data.size ?? 0) > MAX_FILE_BYTES || data.encoding !== "base64") return undefined;
  return Buffer.from(data.content, "base64").toString("utf8");
};

/**
 * The paths of a tree under the directories `wanted.reach` keeps ({@link walkTree}) and the texts
 * of the files `wanted` picks, asked again with what was read until it picks nothing new (at most
 * MAX_ROUNDS times). `alsoAsk`, given the paths, may add fields of another query that ride in the
 * first blob request instead of costing one of their own. `unwalked`: directories a bound of the
 * walk left unlisted.
 */
export const readTreeFiles = async (
  octokit: Octokit,
  repo: RepoRef,
  tree: string,
  wanted: FilesWanted,
  alsoAsk?: (paths: readonly string[]) => Rider | undefined,
): Promise<TreeSnapshot & { unwalked: string[] }> => {
  const { blobs, unwalked } = await walkTree(octokit, repo, tree, wanted.reach);
  const paths = [...blobs.keys()];
  const texts = new Map<string, string | undefined>();
  let rider = alsoAsk?.(paths);
  let budget = MAX_BLOBS_READ;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = [...new Set(wanted.pick(paths, (p) => texts.get(p)))].flatMap((path) => {
      const entry = blobs.get(path);
      return entry === undefined || texts.has(path) ? [] : [[path, entry] as [string, BlobEntry]];
    });
    if (missing.length === 0) break;
    for (const [path] of missing.slice(budget)) texts.set(path, undefined);
    const reading = missing.slice(0, budget);
    budget -= reading.length;
    for (const [path, text] of await readBlobTexts(octokit, repo, reading, rider)) texts.set(path, text);
    rider = undefined;
  }
  if (rider) await readBlobTexts(octokit, repo, [], rider);
  return { list: () => paths, read: (path) => texts.get(path), unwalked };
};
