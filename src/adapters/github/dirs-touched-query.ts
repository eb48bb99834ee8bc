/**
 * One GraphQL request that says, for each commit and directory, whether the commit changed
 * something there: `history(first: 1, path:)` starting at a commit lists the commit itself only
 * when it touched the path (what `git log -1 <sha> -- <path>` answers). REST would need one
 * `GET /commits/{sha}` per commit.
 */
export interface DirsTouchedQuery {
  query: string;
  variables: Record<string, string>;
}

/** Histories per request: keeps each query cheap for GitHub (path histories are costly). */
export const MAX_HISTORIES_PER_QUERY = 500;

/** A piece of a GraphQL query on `repository`: its variable declarations, fields and variables. */
export interface QueryPart {
  declared: string[];
  fields: string[];
  variables: Record<string, string>;
}

/**
 * The histories of {@link dirsTouchedQuery} as fields of `repository` (variables `$c<i>`,
 * `$d<j>`), so they can ride in another query on the same repository.
 */
export const dirsTouchedFields = (shas: readonly string[], dirs: readonly string[]): QueryPart => {
  const variables: Record<string, string> = {};
  const declared: string[] = [];
  dirs.forEach((dir, j) => {
    declared.push(`$d${j}: String!`);
    variables[`d${j}`] = dir;
  });
  shas.forEach((sha, i) => {
    declared.push(`$c${i}: GitObjectID!`);
    variables[`c${i}`] = sha;
  });
  const histories = dirs.map((_, j) => `d${j}: history(first: 1, path: $d${j}) { nodes { oid } }`).join(" ");
  const fields = shas.map((_, i) => `c${i}: object(oid: $c${i}) { ... on Commit { ${histories} } }`);
  return { declared, fields, variables };
};

/** Query parts on one repository as one query. */
export const repositoryQuery = (
  repo: { owner: string; repo: string },
  ...parts: QueryPart[]
): DirsTouchedQuery => {
  const declared = ["$owner: String!", "$name: String!", ...parts.flatMap((p) => p.declared)];
  const fields = parts.flatMap((p) => p.fields);
  return {
    query: `query(${declared.join(", ")}) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`,
    variables: Object.assign({ owner: repo.owner, name: repo.repo }, ...parts.map((p) => p.variables)),
  };
};

export const dirsTouchedQuery = (
  repo: { owner: string; repo: string },
  shas: readonly string[],
  dirs: readonly string[],
): DirsTouchedQuery => repositoryQuery(repo, dirsTouchedFields(shas, dirs));

type HistoryAnswer = { nodes?: ({ oid?: string } | null)[] | null } | null | undefined;

/** Reads the answer: for each commit, the directories whose history starts at that very commit. */
export const readDirsTouched = (
  data: unknown,
  shas: readonly string[],
  dirs: readonly string[],
): Map<string, string[]> => {
  const repository = (data as { repository?: Record<string, Record<string, HistoryAnswer> | null> | null })
    ?.repository;
  const touched = new Map<string, string[]>();
  shas.forEach((sha, i) => {
    const commit = repository?.[`c${i}`];
    touched.set(
      sha,
      dirs.filter((_, j) => commit?.[`d${j}`]?.nodes?.[0]?.oid === sha),
    );
  });
  return touched;
};

/** Splits the commits so each request asks at most MAX_HISTORIES_PER_QUERY histories. */
export const chunkCommits = (shas: readonly string[], dirs: number): string[][] => {
  const size = Math.max(1, Math.floor(MAX_HISTORIES_PER_QUERY / Math.max(1, dirs)));
  const chunks: string[][] = [];
  for (let i = 0; i < shas.length; i += size) chunks.push(shas.slice(i, i + size));
  return chunks;
};
