// Cursor pagination for the sandbox's GraphQL connections, as GitHub documents it:
// https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
//   - every connection needs `first` or `last` (1..100); without one, or above 100, GitHub
//     refuses the field (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit);
//   - `after`/`before` take the opaque cursors of `pageInfo.endCursor`/`startCursor` or `edges.cursor`;
//   - `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }` and `totalCount`.
// The messages and `type` codes are the ones GitHub's GraphQL API answers with.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A refusal GitHub reports in `errors[]` with a `type` (the field resolves to null). */
export class GraphqlRefusal extends GraphQLError {
  constructor(type: string, message: string) {
    super(message, { extensions: { type } });
  }
}

export interface Page<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/** Opaque cursors: base64 of `<scope> <index>`; a cursor from another connection is refused. */
export const encodeCursor = (scope: string, index: number): string =>
  Buffer.from(`${scope} ${index}`, "utf8").toString("base64");

function decodeCursor(cursor: string, scope: string): number {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  const space = text.lastIndexOf(" ");
  const index = Number(text.slice(space + 1));
  if (space < 0 || text.slice(0, space) !== scope || !Number.isInteger(index) || index < 0) {
    throw new GraphqlRefusal(
      "INVALID_CURSOR_ARGUMENTS",
      `\`${cursor}\` does not appear to be a valid cursor.`,
    );
  }
  return index;
}

/** The checks GitHub makes on a connection's arguments before running it. */
export function checkBounds(field: string, args: ConnectionArgs): void {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first === undefined && last === undefined) {
    throw new GraphqlRefusal(
      "MISSING_PAGINATION_BOUNDARIES",
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  if (first !== undefined && last !== undefined) {
    throw new GraphqlRefusal(
      "MISSING_PAGINATION_BOUNDARIES",
      `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`,
    );
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value === undefined) continue;
    if (value < 0) {
      throw new GraphqlRefusal(
        "INVALID_PAGINATION_ARGUMENTS",
        `\`${name}\` on the \`${field}\` connection cannot be less than zero.`,
      );
    }
    if (value > 100) {
      throw new GraphqlRefusal(
        "EXCESSIVE_PAGINATION",
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
      );
    }
  }
}

/**
 * One page of `items` (already in the connection's order). `scope` ties cursors to this
 * connection (a history's cursors name its start commit, as GitHub's `"<sha> <n>"` cursors do).
 */
export function connection<T>(
  field: string,
  scope: string,
  items: readonly T[],
  args: ConnectionArgs,
): Page<T> {
  checkBounds(field, args);
  let start = 0;
  let end = items.length;
  if (args.after) start = Math.min(decodeCursor(args.after, scope) + 1, items.length);
  if (args.before) end = Math.max(Math.min(decodeCursor(args.before, scope), items.length), start);
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const edges = items.slice(start, end).map((node, i) => ({ cursor: encodeCursor(scope, start + i), node }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
  };
}
