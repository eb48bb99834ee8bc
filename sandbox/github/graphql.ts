// The sandbox's GraphQL endpoint: every query is validated against GitHub's published GraphQL
// schema (@octokit/graphql-schema), then executed by graphql-js over the sandbox's git state.
// What clients ask is modelled (graphql/repo-nodes.ts, graphql/git-nodes.ts): repository.ref,
// object(oid | expression) as Commit, Tree, Blob or Tag, Commit.history(path, since, until) and
// associatedPullRequests, releases and pullRequests with cursor pagination
// (https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api).
// Any other field resolves to null and is reported as a violation, never a silent answer.
import { execute, GraphQLError } from "graphql";
import { checkGraphqlQuery, githubGraphqlSchema } from "./graphql-schema.js";
import type { World } from "./state.js";
import { repoKey } from "./state.js";
import type { GqlScope } from "./graphql/git-nodes.js";
import { pullNode, repositoryNode } from "./graphql/repo-nodes.js";

export interface GraphqlError {
  message: string;
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
}

export interface GraphqlReply {
  status: number;
  body: { data?: unknown; errors?: GraphqlError[] };
  violations: string[];
}

/** GitHub's error entries: `type` (when GitHub names one), `path`, `locations`, `message`. */
function errorJson(e: GraphQLError): GraphqlError {
  const type = (e.originalError as GraphQLError | undefined)?.extensions?.type ?? e.extensions?.type;
  return {
    ...(typeof type === "string" ? { type } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    message: e.message,
  };
}

export async function answerGraphql(world: World, body: unknown): Promise<GraphqlReply> {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string") {
    return {
      status: 400,
      body: { errors: [{ message: "A query attribute must be specified" }] },
      violations: [],
    };
  }
  const checked = checkGraphqlQuery(query);
  if (!checked.ok) {
    return {
      status: 200,
      body: { errors: checked.problems.map((message) => ({ message })) },
      violations: checked.problems.map((m) => `GraphQL query invalid against GitHub's schema: ${m}`),
    };
  }
  const document = checked.document;
  const violations: string[] = [];
  const scope: GqlScope = {
    world,
    prCommits: new Map(),
    pullNode: (repo, issue) => pullNode(scope, repo, issue),
  };
  const result = await execute({
    schema: githubGraphqlSchema(),
    document,
    variableValues: variables ?? {},
    rootValue: {
      repository: (args: { owner: string; name: string }) => {
        const repo = world.repos.get(repoKey(args.owner, args.name));
        return repo ? repositoryNode(scope, repo) : null;
      },
    },
    fieldResolver: (source, args, _ctx, info) => {
      const value = (source as Record<string, unknown>)[info.fieldName];
      if (value === undefined) {
        violations.push(
          `GitHub sandbox does not implement GraphQL field ${info.parentType.name}.${info.fieldName}`,
        );
        return null;
      }
      return typeof value === "function" ? (value as (a: unknown) => unknown)(args) : value;
    },
  });
  violations.push(...(result.errors ?? []).map((e) => `GraphQL execution error: ${e.message}`));
  return {
    status: 200,
    body: result.errors ? { data: result.data, errors: result.errors.map(errorJson) } : { data: result.data },
    violations,
  };
}
