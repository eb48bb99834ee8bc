import type { RepoRef } from "../../domain/repo-ref.js";
import type { FileAt } from "../../ports/git-data.js";
import { repositoryQuery } from "./dirs-touched-query.js";
import type { Octokit } from "./octokit.js";
import { MAX_FILE_BYTES, readWholeBlob } from "./read-tree-files.js";

/** (ref, path) pairs per GraphQL request: keeps each answer and GitHub's query cost small. */
export const PAIRS_PER_QUERY = 100;
/**
 * Bytes read again over REST for texts GraphQL cut short, for one call: past it, a file reads as
 * too large (a release that rewrote hundreds of large files is reverted by hand, not in memory).
 */
export const MAX_REREAD_BYTES = 32 * 1024 * 1024;

type BlobAnswer =
  | {
      oid?: string;
      byteSize?: number;
      text?: string | null;
      isBinary?: boolean | null;
      isTruncated?: boolean | null;
    }
  | null
  | undefined;

/**
 * Several paths at several refs, as `object(expression: "<ref>:<path>")` read as a Blob: its
 * `oid`, `byteSize`, `isBinary`, `text` and `isTruncated`
 * (https://docs.github.com/en/graphql/reference/objects#repository, #blob). Refs and paths go in
 * as variables, never into the query text, so a crafted path cannot change it. An expression
 * naming no object, or a tree, answers no Blob fields: the path is absent at that ref.
 * A text GitHub truncated is read whole from `GET /git/blobs/{sha}`
 * (https://docs.github.com/en/rest/git/blobs#get-a-blob) when under the size cap and the
 * call's budget; a blob above the cap never has its text asked again.
 */
export const readFilesAtRefs = async (
  octokit: Octokit,
  repo: RepoRef,
  refs: readonly string[],
  paths: readonly string[],
): Promise<Map<string, FileAt | undefined>[]> => {
  const found = refs.map(() => new Map<string, FileAt | undefined>());
  const pairs = refs.flatMap((ref, r) => paths.map((path) => ({ r, ref, path })));
  let budget = MAX_REREAD_BYTES;
  for (let start = 0; start < pairs.length; start += PAIRS_PER_QUERY) {
    const chunk = pairs.slice(start, start + PAIRS_PER_QUERY);
    const { query, variables } = repositoryQuery(repo, {
      declared: chunk.map((_, i) => `$f${i}: String!`),
      fields: chunk.map(
        (_, i) =>
          `f${i}: object(expression: $f${i}) { ... on Blob { oid byteSize isBinary isTruncated text } }`,
      ),
      variables: Object.fromEntries(chunk.map((p, i) => [`f${i}`, `${p.ref}:${p.path}`])),
    });
    const data = await octokit.graphql<{ repository?: Record<string, BlobAnswer> | null }>(query, variables);
    for (const [i, { r, path }] of chunk.entries()) {
      const blob = data.repository?.[`f${i}`];
      const at = found[r];
      if (at === undefined) continue;
      if (!blob || typeof blob.oid !== "string") {
        at.set(path, undefined);
        continue;
      }
      const { oid } = blob;
      const size = blob.byteSize ?? 0;
      if (blob.isBinary === true || (typeof blob.text !== "string" && blob.isTruncated !== true))
        at.set(path, { oid, unreadable: "binary" });
      else if (size > MAX_FILE_BYTES) at.set(path, { oid, unreadable: "too-large" });
      else if (blob.isTruncated !== true && typeof blob.text === "string")
        at.set(path, { oid, text: blob.text });
      else if (size > budget) at.set(path, { oid, unreadable: "too-large" });
      else {
        budget -= size;
        const text = await readWholeBlob(octokit, repo, oid);
        at.set(path, text === undefined ? { oid, unreadable: "too-large" } : { oid, text });
      }
    }
  }
  return found;
};
