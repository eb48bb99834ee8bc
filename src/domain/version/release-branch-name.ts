import { fail, ok, type Result } from "../result.js";
import { parseError, type ParseError } from "./parse-error.js";
import { isSafeRefName } from "./ref-name.js";
import { parseVersion, type Version } from "./version.js";

/** A release branch such as `release/v1.2.0` (prefix from config, default `release/v`). */
export class ReleaseBranchName {
  readonly kind = "release-branch-name";
  constructor(
    readonly version: Version,
    readonly prefix = "release/v",
  ) {}
  toString(): string {
    return `${this.prefix}${this.version.toString()}`;
  }
}

/** Parses a release branch name (also accepts `refs/heads/…` as sent by webhooks). Never throws. */
export const parseReleaseBranchName = (
  text: string,
  prefix = "release/v",
): Result<ReleaseBranchName, ParseError> => {
  if (typeof text !== "string") return fail(parseError("release-branch", String(text), "not a string"));
  const name = text.startsWith("refs/heads/") ? text.slice("refs/heads/".length) : text;
  if (!isSafeRefName(name)) return fail(parseError("release-branch", text, "not a safe branch name"));
  if (!name.startsWith(prefix))
    return fail(parseError("release-branch", text, `branch does not start with "${prefix}"`));
  const version = parseVersion(name.slice(prefix.length));
  if (!version.ok) return fail(parseError("release-branch", text, version.error.reason));
  return ok(new ReleaseBranchName(version.value, prefix));
};
