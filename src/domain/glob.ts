import { RE2JS } from "re2js";
import zeptomatch from "zeptomatch";

/**
 * The app's one glob matcher, for every glob a config holds (version files, manifests, docs
 * files, report paths, check and artifact names).
 *
 * Syntax (zeptomatch's): `*` any run within a segment, `**` any depth, `?` one character,
 * `[abc]` / `[a-z]` / `[!a]` a class, `\x` a literal x. Braces `{a,b}` and a leading `!` are
 * literal characters: zeptomatch expands braces into every combination (a few brace groups
 * make a pattern of exponential size) and compiles negation to a look-ahead.
 *
 * Case: a `path` glob is case-sensitive, as git's paths are (`Dockerfile` ≠ `dockerfile`); a
 * `name` glob (check-run, status and artifact names) ignores case, and its `*` crosses `/`
 * (`CI / test*` matches "CI / test / unit"): a name has no segments.
 *
 * Cost: zeptomatch compiles the glob to a regular expression with no look-around and no
 * back-reference, which RE2JS (a port of RE2) runs in time linear in the text, whatever the
 * pattern: `a*a*a*a*a*a*a*a*b` against sixty `a`s is one pass, not the 60^8 steps of a
 * backtracking engine. Globs longer than {@link MAX_GLOB_LENGTH} match nothing.
 */
export type GlobKind = "path" | "name";

/** The one method a caller needs, as on a RegExp. */
export interface GlobMatcher {
  test(text: string): boolean;
}

/** Longer globs match nothing: no config has a reason for one, and compiling one costs. */
export const MAX_GLOB_LENGTH = 512;

// A name has no segments: its separators (and the glob's) become one character no glob
// token treats as a separator, so `*` crosses them. U+E000 is a private-use code point.
const SEGMENTLESS = "\uE000";
const SEPARATORS = /[\\/]/g;

const NOTHING: GlobMatcher = { test: () => false };

// Escapes what this matcher takes literally (braces, a leading `!`), keeping `\x` escapes.
const literalBracesAndBang = (glob: string): string =>
  glob.replace(/\\.|[{}]/gs, (m) => (m.length === 1 ? `\\${m}` : m)).replace(/^!/, "\\!");

const compile = (glob: string, kind: GlobKind): GlobMatcher => {
  if (glob.length > MAX_GLOB_LENGTH) return NOTHING;
  const source = literalBracesAndBang(kind === "name" ? glob.replaceAll("/", SEGMENTLESS) : glob);
  let re: RE2JS;
  try {
    re = RE2JS.compile(
      zeptomatch.compile(source).source,
      RE2JS.DOTALL | (kind === "name" ? RE2JS.CASE_INSENSITIVE : 0),
    );
  } catch {
    return NOTHING;
  }
  return kind === "name"
    ? { test: (text) => re.test(text.replace(SEPARATORS, SEGMENTLESS)) }
    : { test: (text) => re.test(text) };
};

// Configs are re-read per event; the same globs come back. Bounded, so crafted configs cannot
// grow it without limit.
const MAX_CACHED = 1000;
const cache = new Map<string, GlobMatcher>();

/** A matcher for one glob; never throws (a glob it cannot compile matches nothing). */
export const compileGlob = (glob: string, kind: GlobKind = "path"): GlobMatcher => {
  const key = `${kind}:${glob}`;
  let matcher = cache.get(key);
  if (matcher === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    matcher = compile(glob, kind);
    cache.set(key, matcher);
  }
  return matcher;
};

export const matchesGlob = (glob: string, text: string, kind: GlobKind = "path"): boolean =>
  compileGlob(glob, kind).test(text);

/** The `paths` any of the path `globs` match, in their order. */
export const matchGlobs = (globs: readonly string[], paths: readonly string[]): string[] => {
  const matchers = globs.map((glob) => compileGlob(glob, "path"));
  return paths.filter((path) => matchers.some((m) => m.test(path)));
};
