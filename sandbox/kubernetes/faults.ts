/** Fault injection: answer matching requests with an error status and/or after a delay. */

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Exact request path (no query), or a RegExp tested against path + query. */
  path: string | RegExp;
  /** Status to answer with (409, 500, 503, …); omitted: only delay, then answer normally. */
  status?: number;
  /** How many requests to affect (default: all). */
  times?: number;
  /** Delay before answering; longer than the client's timeout simulates a timeout. */
  latencyMs?: number;
  /**
   * A watch answers 200, streams normally for `latencyMs` (0: at once), then the connection is cut
   * (the socket destroyed mid-stream, as a proxy or a restarting API server does).
   */
  drop?: boolean;
  /**
   * A watch answers 200 and sends one ERROR event carrying a Status with this code, then ends: the
   * API server's way to say 410 Gone ("too old resource version") inside a watch stream.
   * https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses
   */
  watchError?: number;
}

export interface FaultMatch {
  status: number | undefined;
  latencyMs: number;
  drop: boolean;
  watchError: number | undefined;
}

export class Faults {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** Uses left on the rules with a `times` bound (0: every bounded fault was met). */
  unused(): number {
    return this.rules.reduce((n, r) => n + (Number.isFinite(r.left) ? r.left : 0), 0);
  }

  /** The first live rule that matches, consuming one of its uses. */
  take(method: string, pathWithQuery: string): FaultMatch | undefined {
    const path = pathWithQuery.split("?")[0] ?? "";
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (typeof r.path === "string" ? r.path === path : r.path.test(pathWithQuery)),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    return {
      status: rule.status,
      latencyMs: rule.latencyMs ?? 0,
      drop: rule.drop ?? false,
      watchError: rule.watchError,
    };
  }
}
