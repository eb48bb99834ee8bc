import type { Metrics } from "../../ports/metrics.js";

/** What Octokit hands its request hooks: the route template before it is expanded. */
interface RequestOptions {
  method?: string;
  url?: string;
}
interface ResponseHeaders {
  headers?: Record<string, unknown>;
}

/** The part of an Octokit instance this needs (its before-after-hook `hook`). */
export interface HookableOctokit {
  hook: {
    after(
      name: "request",
      fn: (response: { status: number } & ResponseHeaders, options: RequestOptions) => void,
    ): void;
    error(name: "request", fn: (error: unknown, options: RequestOptions) => never): void;
  };
}

const routeOf = (options: RequestOptions): string =>
  `${(options.method ?? "GET").toUpperCase()} ${options.url ?? ""}`;

const remainingOf = (headers: Record<string, unknown> | undefined): number | undefined => {
  const value = headers?.["x-ratelimit-remaining"];
  const remaining =
    typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(remaining) ? remaining : undefined;
};

/**
 * Counts every API call of one installation's Octokit and records its rate-limit headroom.
 * Call once per Octokit instance (Probot makes one per webhook delivery).
 */
export const instrumentOctokit = <T extends HookableOctokit>(
  octokit: T,
  installationId: number,
  metrics: Pick<Metrics, "githubRequest" | "rateLimitRemaining">,
): T => {
  const record = (status: number, headers: Record<string, unknown> | undefined, options: RequestOptions) => {
    metrics.githubRequest(installationId, routeOf(options), status);
    const remaining = remainingOf(headers);
    if (remaining !== undefined) metrics.rateLimitRemaining(installationId, remaining);
  };
  octokit.hook.after("request", (response, options) => record(response.status, response.headers, options));
  octokit.hook.error("request", (error, options) => {
    const failed = (error ?? {}) as { status?: unknown; response?: ResponseHeaders };
    // Octokit reports a call that got no answer (network error) as status 500 with no response;
    // count it as 0 (label "other") so it is not mistaken for GitHub failing.
    const status = failed.response !== undefined && typeof failed.status === "number" ? failed.status : 0;
    record(status, failed.response?.headers, options);
    throw error;
  });
  return octokit;
};
