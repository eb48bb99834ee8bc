// The sandbox's GraphQL endpoint: every query is validated against GitHub's published GraphQL
// schema (@octokit/graphql-schema), then executed by graphql-js over the sandbox's git state.
// Only what the app asks is implemented (repository → object(oid) → Commit.history(path));
// any other field resolves to null and is reported as a violation, never a silent answer.
import { execute } from "graphql";
import { checkGraphqlQuery, githubGraphqlSchema } from "../../support/graphql-schema.js";
import type { Repo, World } from "./state.js";
import { repoKey } from "./state.js";

export interface GraphqlReply {
  status: number;
  body: { data?: unknown; errors?: { message: string }[] };
  violations: string[];
}

const commitNode = (repo: Repo, oid: string) => ({
  __typename: "Commit",
  oid,
  history: async (args: { first?: number; path?: string }) => {
    const max = Math.min(args.first ?? 100, 100);
    const shas = await repo.git.revList([`--max-count=${max}`, oid, ...(args.path ? ["--", args.path] : [])]);
    return { nodes: shas.map((sha) => ({ __typename: "Commit", oid: sha })) };
  },
});

const repositoryNode = (repo: Repo) => ({
  __typename: "Repository",
  name: repo.name,
  object: async (args: { oid?: string; expression?: string }) => {
    const rev = args.oid ?? args.expression;
    if (!rev) return null;
    const sha = await repo.git.resolve(rev);
    if (!sha || (await repo.git.objectType(sha)) !== "commit") return null;
    return commitNode(repo, sha);
  },
});

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
  const result = await execute({
    schema: githubGraphqlSchema(),
    document,
    variableValues: variables ?? {},
    rootValue: {
      repository: (args: { owner: string; name: string }) => {
        const repo = world.repos.get(repoKey(args.owner, args.name));
        return repo ? repositoryNode(repo) : null;
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
    body: result.errors
      ? { data: result.data, errors: result.errors.map((e) => ({ message: e.message })) }
      : { data: result.data },
    violations,
  };
}
