// Fault injection: make matching API requests fail, stall or drop, like GitHub on a bad day.

/**
 * The 422s GitHub answers to `POST /git/refs` and `PATCH /git/refs/{ref}` besides the ones the
 * sandbox gives on its own ("Reference already exists", "Object does not exist", "Update is not a
 * fast forward", "Reference does not exist"), by name. Create a reference:
 * https://docs.github.com/en/rest/git/refs#create-a-reference ("422 Validation failed"); ruleset
 * refusals: https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets
 * ("Restrict creations", "Restrict updates").
 */
export const REF_REFUSALS = {
  /** Intermittent on GitHub (a concurrent write to the repository); the same call later succeeds. */
  "reference-update-failed": "Reference update failed",
  "reference-exists": "Reference already exists",
  "object-missing": "Object does not exist",
  "not-fast-forward": "Update is not a fast forward",
  "creations-restricted":
    "Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n",
  "updates-restricted": "Repository rule violations found\n\nCannot update this protected ref.\n\n",
} as const;

export type RefRefusal = keyof typeof REF_REFUSALS;

export interface FaultRule {
  method?: string;
  path: string | RegExp;
  status?: number;
  times?: number;
  retryAfter?: number;
  latencyMs?: number;
  drop?: boolean;
  message?: string;
  /** Answer 422 with one of GitHub's ref-write refusals (implies status 422). */
  refusal?: RefRefusal;
}

export class Faults {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    const refusal = rule.refusal ? { status: 422, message: REF_REFUSALS[rule.refusal] } : {};
    this.rules.push({ ...rule, ...refusal, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first live rule matching this request, consuming one of its uses. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method.toUpperCase()) &&
        (typeof r.path === "string" ? path === r.path || path.startsWith(`${r.path}?`) : r.path.test(path)),
    );
    if (rule) rule.left -= 1;
    return rule;
  }
}

/** The body and headers GitHub sends for a fault's status. */
export function faultReply(rule: FaultRule): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (rule.retryAfter !== undefined) headers["retry-after"] = String(rule.retryAfter);
  const docs = "https://docs.github.com/rest";
  if (status === 403 && rule.retryAfter !== undefined) {
    const message =
      rule.message ??
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    return { status, body: { message, documentation_url: docs }, headers };
  }
  if (status === 429 || (status === 403 && rule.message?.includes("rate limit"))) {
    headers["x-ratelimit-remaining"] = "0";
    headers["x-ratelimit-reset"] = String(Math.floor(Date.now() / 1000) + (rule.retryAfter ?? 60));
  }
  const defaults: Record<number, string> = {
    409: "Conflict",
    422: "Validation Failed",
    429: "API rate limit exceeded",
    500: "Server Error",
    502: "Bad Gateway",
  };
  return {
    status,
    body: { message: rule.message ?? defaults[status] ?? "Error", documentation_url: docs },
    headers,
  };
}
