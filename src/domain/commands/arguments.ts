import { fail, ok, type Result } from "../result.js";
import { renderUserText } from "../user-text.js";

/**
 * Validators for the values slash-command arguments may carry. Each returns the
 * normalised value or an error sentence; none throws, whatever the text.
 */

/** Shows user text back safely (see renderUserText): an inert code span of 60 characters at most. */
export const quote = (text: string): string => renderUserText(text, { max: 60 });

// Strict SemVer 2.0.0 (semver.org's recommended expression), with an optional `v`.
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A strict SemVer version; a leading `v` is accepted and dropped. */
export const parseVersionArg = (text: string): Result<string> => {
  if (text.length > 64 || !SEMVER.test(text)) {
    return fail(`${quote(text)} is not a SemVer version like \`1.2.0\` or \`1.3.0-rc.1\``);
  }
  return ok(text.startsWith("v") ? text.slice(1) : text);
};

export const bumpKinds = ["major", "minor", "patch"] as const;
export type BumpKind = (typeof bumpKinds)[number];

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** An environment name as config spells it: `staging`, `production`, `eu-prod`. */
export const parseEnvironmentArg = (text: string): Result<string> =>
  NAME.test(text)
    ? ok(text)
    : fail(`${quote(text)} is not an environment name (lower-case letters, digits and \`-\`)`);

/** A service name as config spells it (case-insensitive, kept as written). */
export const parseServiceArg = (text: string): Result<string> =>
  /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(text) && !text.includes("..")
    ? ok(text)
    : fail(`${quote(text)} is not a service name`);

export const parseCountArg = (text: string, what: string, max: number): Result<number> => {
  // Up to 15 digits is still exact as a JS number; a larger count is out of range, not malformed.
  if (!/^\d+$/.test(text)) return fail(`${what} must be a whole number, got ${quote(text)}`);
  if (text.length > 15) return fail(`${what} must be at most ${max}, got ${quote(text.slice(0, 20))}`);
  const value = Number(text);
  return value > max ? fail(`${what} must be at most ${max}, got ${value}`) : ok(value);
};

export const parsePercentArg = (text: string): Result<number> => {
  const match = /^(\d{1,3})%?$/.exec(text);
  const value = match ? Number(match[1]) : NaN;
  return value >= 1 && value <= 100
    ? ok(value)
    : fail(`the weight must be a percentage from 1% to 100%, got ${quote(text)}`);
};

/** A pre-release identifier such as `rc`, `beta` or `alpha`. */
export const parsePreIdArg = (text: string): Result<string> =>
  /^[a-z][a-z0-9]{0,15}$/.test(text)
    ? ok(text)
    : fail(`${quote(text)} is not a pre-release identifier like \`rc\` or \`beta\``);

/**
 * A branch, tag or commit SHA (full or short) named as where a release starts: git's ref-name
 * rules (git-check-ref-format: no \`..\`, \`@{\`, control characters, spaces, \`~^:?*[\\\`, no
 * component starting with \`.\` or ending in \`.lock\`), narrowed to plain names: no revision
 * expressions (\`HEAD~3\`, \`main^\`), no \`owner:branch\`, no leading \`-\`, 1–255 characters.
 * Whether it exists is for the repository to say.
 */
export const parseRefArg = (text: string): Result<string> => {
  const plain = /^[A-Za-z0-9_][\w./+-]{0,254}$/.test(text);
  const gitRules =
    !text.includes("..") &&
    !text.includes("//") &&
    !text.endsWith("/") &&
    !text.endsWith(".") &&
    text.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
  return plain && gitRules ? ok(text) : fail(`${quote(text)} is not a branch, tag or commit SHA`);
};

/** A free-text reason (for `/lock`): one line, bounded, no control characters. */
export const parseReasonArg = (words: string[]): Result<string> => {
  const text = words.join(" ").trim();
  if (text.length > 200) return fail("the reason must be at most 200 characters");
  if (/[\p{Cc}\p{Cf}]/u.test(text)) return fail("the reason must not contain control characters");
  return ok(text);
};
