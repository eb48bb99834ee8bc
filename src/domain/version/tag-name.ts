import { fail, ok, type Result } from "../result.js";
import { parseError, type ParseError } from "./parse-error.js";
import { isSafeRefName } from "./ref-name.js";
import { parseVersion, type Version } from "./version.js";

/** A release tag such as `v1.2.0` (prefix from config, default `v`). */
export class TagName {
  readonly kind = "tag-name";
  constructor(
    readonly version: Version,
    readonly prefix = "v",
  ) {}
  toString(): string {
    return `${this.prefix}${this.version.toString()}`;
  }
}

/** Parses a tag name for the given prefix (`v1.2.0` → 1.2.0). Never throws. */
export const parseTagName = (text: string, prefix = "v"): Result<TagName, ParseError> => {
  if (typeof text !== "string" || !isSafeRefName(text))
    return fail(parseError("tag", String(text), "not a safe tag name"));
  if (!text.startsWith(prefix)) return fail(parseError("tag", text, `tag does not start with "${prefix}"`));
  const version = parseVersion(text.slice(prefix.length));
  if (!version.ok) return fail(parseError("tag", text, version.error.reason));
  return ok(new TagName(version.value, prefix));
};
