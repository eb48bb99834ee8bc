/**
 * Content-creating requests per deploy command: POST, PATCH, PUT and DELETE the app sent GitHub
 * during `/deploy staging` and `/rollback staging` (bench/deploy-bench.ts, the whole flow: comment,
 * background rollout, the events it causes). Not counted: the installation token (a POST that
 * creates no content) and GraphQL queries (a POST that only reads). GitHub's secondary rate limit
 * allows about 80 content-creating requests a minute
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
 * Every such request counts, a refused one too (a 422 is still a request against that limit).
 * test/e2e/deploy-writes.test.ts lists them operation by operation: `/deploy` reaction, lock ref,
 * Deployment, in_progress, reply, success, reply, lock ref deleted (8); `/rollback` the same less
 * in_progress (7).
 */
import type { CallBreakdown } from "./api-calls.js";
import type { DeployFigures } from "./deploy-bench.js";

export interface WriteFigures {
  deploy: number | null;
  rollback: number | null;
}

/** The targets: `/deploy` ≤ 8, `/rollback` ≤ 7. */
export const WRITE_TARGETS = { deploy: 8, rollback: 7 } as const;

const NOT_CONTENT = new Set(["apps/create-installation-access-token", "graphql"]);
const WRITE = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Content-creating requests of a breakdown: its writes less the token requests. */
export const contentWrites = (calls: CallBreakdown | null): number | null => {
  if (!calls) return null;
  const tokens = calls.byOperation["apps/create-installation-access-token"] ?? 0;
  return calls.writes - tokens;
};

/** Content-creating requests of a list of requests (method and operation), for tests. */
export const countContentWrites = (
  requests: readonly { method: string; operationId?: string | undefined }[],
) => requests.filter((r) => WRITE.has(r.method) && !NOT_CONTENT.has(r.operationId ?? "")).length;

export const benchWrites = (deploy: DeployFigures): WriteFigures => ({
  deploy: contentWrites(deploy.deploy),
  rollback: contentWrites(deploy.rollback),
});

export const writesMissed = (w: WriteFigures | undefined): string[] => {
  const missed: string[] = [];
  for (const command of ["deploy", "rollback"] as const) {
    const n = w?.[command];
    if (n !== null && n !== undefined && n > WRITE_TARGETS[command])
      missed.push(`/${command} made ${n} content-creating requests (target ≤ ${WRITE_TARGETS[command]})`);
  }
  return missed;
};
