import { compileGlob, type GlobMatcher } from "../glob.js";

export { matchGlobs } from "../glob.js";

/** A linear-time matcher for one path glob (case-sensitive), with RegExp's `test`. */
export const globToRegExp = (glob: string): GlobMatcher => compileGlob(glob, "path");
