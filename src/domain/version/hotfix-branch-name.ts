import { fail, ok, type Result } from "../result.js";
import { parseError, type ParseError } from "./parse-error.js";
import { isSafeRefName } from "./ref-name.js";

const MAX_SLUG = 40;

/** Turns an issue title into a branch slug: lower-case ASCII words joined by `-`, at most 40 chars. */
export const slugify = (title: string, max = MAX_SLUG): string => {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w.length > 0);
  let slug = "";
  for (const word of words) {
    const next = slug === "" ? word : `${slug}-${word}`;
    if (next.length > max) {
      // A single over-long first word is cut rather than dropped.
      if (slug === "") slug = word.slice(0, max);
      break;
    }
    slug = next;
  }
  return slug;
};

/** A hotfix branch such as `hotfix/42-fix-auth`: issue number plus a slug of its title. */
export class HotfixBranchName {
  readonly kind = "hotfix-branch-name";
  constructor(
    readonly issue: number,
    readonly slug: string,
    readonly prefix = "hotfix/",
  ) {}
  static fromIssue(issue: number, title: string, prefix = "hotfix/"): HotfixBranchName {
    return new HotfixBranchName(issue, slugify(title), prefix);
  }
  toString(): string {
    return `${this.prefix}${this.issue}${this.slug === "" ? "" : `-${this.slug}`}`;
  }
}

/** Parses `hotfix/42-fix-auth` (or `refs/heads/hotfix/…`). Never throws. */
export const parseHotfixBranchName = (
  text: string,
  prefix = "hotfix/",
): Result<HotfixBranchName, ParseError> => {
  if (typeof text !== "string") return fail(parseError("hotfix-branch", String(text), "not a string"));
  const name = text.startsWith("refs/heads/") ? text.slice("refs/heads/".length) : text;
  if (!isSafeRefName(name)) return fail(parseError("hotfix-branch", text, "not a safe branch name"));
  if (!name.startsWith(prefix))
    return fail(parseError("hotfix-branch", text, `branch does not start with "${prefix}"`));
  const match = /^([1-9]\d{0,9})(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?$/.exec(name.slice(prefix.length));
  if (!match)
    return fail(parseError("hotfix-branch", text, "expected <issue>-<slug>, e.g. hotfix/42-fix-auth"));
  const slug = match[2] ?? "";
  if (slug.length > MAX_SLUG) return fail(parseError("hotfix-branch", text, "slug too long"));
  return ok(new HotfixBranchName(Number(match[1]), slug, prefix));
};
