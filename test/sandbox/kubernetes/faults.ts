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
}

export interface FaultMatch {
  status: number | undefined;
  latencyMs: number;
}

export class Faults {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
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
    return { status: rule.status, latencyMs: rule.latencyMs ?? 0 };
  }
}
