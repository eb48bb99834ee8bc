import { ProbotOctokit } from "probot";
import { checkGraphqlQuery, isGraphqlPath } from "../github/graphql-schema.js";
import { validateRequest, validateResponse } from "../github/openapi.js";

/** Requests the app sent, or responses a fake returned, that GitHub's OpenAPI description rejects. */
export const openApiViolations: string[] = [];

type Hookable = InstanceType<typeof ProbotOctokit>;

const validatingPlugin = (octokit: Hookable) => {
  octokit.hook.wrap("request", async (request, options) => {
    const endpoint = octokit.request.endpoint.parse(options as never) as {
      method: string;
      url: string;
      body?: unknown;
    };
    const path = endpoint.url.replace(/^https?:\/\/[^/]+/, "");
    const body = typeof endpoint.body === "string" ? (JSON.parse(endpoint.body) as unknown) : endpoint.body;
    if (isGraphqlPath(path)) {
      // GraphQL: the query is checked against GitHub's GraphQL schema (answers are typed by it).
      const checked = checkGraphqlQuery((body as { query?: unknown } | undefined)?.query);
      if (!checked.ok) openApiViolations.push(...checked.problems.map((p) => `graphql ${path}: ${p}`));
      return request(options);
    }
    for (const error of validateRequest({ method: endpoint.method, url: path, body })) {
      openApiViolations.push(`request ${endpoint.method} ${path}: ${error}`);
    }
    try {
      const response = await request(options);
      // A followed redirect (archives, artifacts) answers from another address: nothing to check.
      if (response.url && response.url !== endpoint.url) return response;
      for (const error of validateResponse({
        method: endpoint.method,
        url: path,
        status: response.status,
        body: response.data,
      })) {
        openApiViolations.push(`response ${endpoint.method} ${path} ${response.status}: ${error}`);
      }
      return response;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const data = (error as { response?: { data?: unknown } }).response?.data;
      if (status !== undefined && status !== 304 && data !== undefined && data !== "") {
        for (const problem of validateResponse({ method: endpoint.method, url: path, status, body: data })) {
          openApiViolations.push(`response ${endpoint.method} ${path} ${status}: ${problem}`);
        }
      }
      throw error;
    }
  });
  return {};
};

/**
 * The Octokit the tests give Probot: retries and throttling off (the function form of
 * `defaults`, since the object form is silently ignored), and every request and response
 * checked against GitHub's OpenAPI description.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
})).plugin(validatingPlugin as never) as typeof ProbotOctokit;
