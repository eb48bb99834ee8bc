// GitHub's published GraphQL schema (@octokit/graphql-schema), loaded once, to check every query
// the app sends, as openapi.ts does for REST.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildClientSchema,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
  parse,
  validate,
} from "graphql";

let schema: GraphQLSchema | undefined;

export const githubGraphqlSchema = (): GraphQLSchema => {
  if (!schema) {
    // The package exports only its ESM entry; its schema.json sits beside it in node_modules.
    const file = fileURLToPath(
      new URL("../../node_modules/@octokit/graphql-schema/schema.json", import.meta.url),
    );
    const json = JSON.parse(readFileSync(file, "utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
    schema = buildClientSchema(json.data ?? json);
  }
  return schema;
};

export const isGraphqlPath = (path: string): boolean => path === "/graphql" || path === "/api/graphql";

/** The parsed query, or what GitHub would refuse in it. */
export const checkGraphqlQuery = (
  query: unknown,
): { ok: true; document: DocumentNode } | { ok: false; problems: string[] } => {
  if (typeof query !== "string") return { ok: false, problems: ["A query attribute must be specified"] };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  const problems = validate(githubGraphqlSchema(), document).map((e) => e.message);
  return problems.length ? { ok: false, problems } : { ok: true, document };
};
