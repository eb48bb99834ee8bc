/**
 * One GraphQL request reading several files at one commit: `object(expression: "<sha>:<path>")`
 * as a Blob (https://docs.github.com/en/graphql/reference/objects#repository, #blob). Paths and
 * the commit go in as variables, never into the query text, so a crafted path cannot change it.
 */
export interface FilesAtQuery {
  query: string;
  variables: Record<string, string>;
}

/** Paths per request: keeps each answer and GitHub's query cost small. */
export const FILES_PER_QUERY = 100;

export const filesAtQuery = (
  repo: { owner: string; repo: string },
  ref: string,
  paths: readonly string[],
): FilesAtQuery => {
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
  const declared = ["$owner: String!", "$name: String!"];
  const fields = paths.map((path, i) => {
    declared.push(`$f${i}: String!`);
    variables[`f${i}`] = `${ref}:${path}`;
    return `f${i}: object(expression: $f${i}) { ... on Blob { text isBinary isTruncated } }`;
  });
  return {
    query: `query(${declared.join(", ")}) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`,
    variables,
  };
};

type BlobAnswer = { text?: string | null; isBinary?: boolean | null; isTruncated?: boolean | null } | null;

/**
 * Each path's text; undefined when there is no such file (or a directory: no Blob fields) or it
 * is binary; "truncated" when GitHub cut the text short (large blobs), to be read otherwise.
 */
export const readFilesAt = (
  data: unknown,
  paths: readonly string[],
): Map<string, string | "truncated" | undefined> => {
  const repository = (data as { repository?: Record<string, BlobAnswer | undefined> | null } | null)
    ?.repository;
  const texts = new Map<string, string | "truncated" | undefined>();
  paths.forEach((path, i) => {
    const blob = repository?.[`f${i}`];
    if (!blob || blob.isBinary === true || typeof blob.text !== "string") texts.set(path, undefined);
    else texts.set(path, blob.isTruncated === true ? "truncated" : blob.text);
  });
  return texts;
};
