/**
 * Writing a git ref on GitHub, telling its 422s apart. `POST /git/refs` and `PATCH /git/refs/{ref}`
 * answer 422 for several refusals with the same status, told apart only by the message
 * (https://docs.github.com/en/rest/git/refs#create-a-reference, #update-a-reference):
 *   "Reference already exists"            someone created it first (a lock held, a race lost)
 *   "Update is not a fast forward"        someone moved it first
 *   "Reference does not exist"            someone deleted it
 *   "Object does not exist"               the commit is not in the repository
 *   "Reference update failed"             intermittent on GitHub: the same write later succeeds
 *   "Repository rule violations found …"  a ruleset restricts creating or updating the ref
 *     (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets)
 *   "Protected branch update failed …"    branch protection (required checks, reviews)
 *     (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches)
 * Callers name the refusals they expect; every other one is thrown as a RefRefusedError that says
 * what happened and what to do.
 */
import { RefRefusedError, type RefRefusalKind } from "../../ports/ref-refused.js";
import { githubMessageOf, httpStatusOf } from "./octokit.js";

/** What a 422 from a ref write means; undefined for any other error. */
export const refRefusalOf = (error: unknown): RefRefusalKind | undefined => {
  if (httpStatusOf(error) !== 422) return undefined;
  const message = githubMessageOf(error);
  if (/Reference already exists/i.test(message)) return "exists";
  if (/not a fast.forward/i.test(message)) return "not-fast-forward";
  if (/Reference does not exist/i.test(message)) return "missing-ref";
  if (/Object does not exist/i.test(message)) return "missing-object";
  if (/Reference update failed/i.test(message)) return "update-failed";
  if (/rule violations|restricted|protected ref/i.test(message)) return "restricted";
  if (/Protected branch/i.test(message)) return "protected";
  return "other";
};

const firstLine = (error: unknown): string =>
  githubMessageOf(error)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");

function refusedError(ref: string, kind: RefRefusalKind, error: unknown, attempts: number): RefRefusedError {
  const said = `GitHub answered "${firstLine(error)}"`;
  const what: Record<RefRefusalKind, string> = {
    restricted:
      `GitHub refused to write \`${ref}\`: a repository ruleset restricts it (${said}). ` +
      "Add release-pilot to the ruleset's bypass list, or exclude this ref from the rule " +
      "(Settings → Rules → Rulesets), then run it again.",
    protected:
      `GitHub refused to update \`${ref}\`: branch protection (${said}). ` +
      "Let the required checks and reviews pass, or allow release-pilot in the branch's protection settings.",
    "update-failed":
      `GitHub could not write \`${ref}\` (${said}, ${attempts} attempts). ` +
      "This is usually a short-lived conflict on GitHub's side: run it again.",
    "missing-object": `GitHub refused to point \`${ref}\` at a commit it does not have (${said}).`,
    exists: `\`${ref}\` already exists (${said}).`,
    "not-fast-forward": `\`${ref}\` was moved by someone else (${said}).`,
    "missing-ref": `\`${ref}\` was deleted by someone else (${said}).`,
    other: `GitHub refused to write \`${ref}\` (${said}).`,
  };
  return new RefRefusedError(ref, kind, what[kind], { cause: error });
}

export interface RefWriteOptions {
  /** Tries for "Reference update failed" (default 3). */
  attempts?: number;
  /** Wait before try n+1: n × this (default 300 ms). */
  backoffMs?: number;
}

/**
 * Runs `write` (a create or update of `ref`): its result, or the refusal when it is one of
 * `expected`. "Reference update failed" is retried; any other 422 throws a RefRefusedError;
 * other errors pass through.
 */
export async function writeRef<T, K extends RefRefusalKind>(
  ref: string,
  expected: readonly K[],
  write: () => Promise<T>,
  { attempts = 3, backoffMs = 300 }: RefWriteOptions = {},
): Promise<{ ok: T } | { refused: K }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: await write() };
    } catch (error) {
      const kind = refRefusalOf(error);
      if (kind === undefined) throw error;
      if ((expected as readonly RefRefusalKind[]).includes(kind)) return { refused: kind as K };
      if (kind === "update-failed" && attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, attempt * backoffMs));
        continue;
      }
      throw refusedError(ref, kind, error, attempt);
    }
  }
}
