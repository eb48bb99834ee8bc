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

export const dirsTouchedQuery = (
  repo: { owner: string; repo: string },
  shas: readonly string[],
  dirs: readonly string[],
): DirsTouchedQuery => {
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
  const declared = ["$owner: String!", "$name: String!"];
  dirs.forEach((dir, j) => {
    declared.push(`$d${j}: String!`);
    variables[`d${j}`] = dir;
  });
  shas.forEach((sha, i) => {
    declared.push(`$c${i}: GitObjectID!`);
    variables[`c${i}`] = sha;
  });
  const histories = dirs.map((_, j) => `d${j}: history(first: 1, path: $d${j}) { nodes { oid } }`).join(" ");
  const commits = shas.map((_, i) => `c${i}: object(oid: $c${i}) { ... on Commit { ${histories} } }`);
  return {
    query: `query(${declared.join(", ")}) { repository(owner: $owner, name: $name) { ${commits.join(" ")} } }`,
    variables,
  };
};

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
