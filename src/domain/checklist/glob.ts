/**
 * Glob to RegExp, case-insensitive. In path mode `*` stops at `/` and `**` crosses it;
 * otherwise (check names like "CI / test (3.11)") `*` matches anything.
 */
export const globToRegExp = (pattern: string, mode: "path" | "name" = "name"): RegExp => {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else re += ".*";
    } else if (c === "*") re += mode === "path" ? "[^/]*" : ".*";
    else if (c === "?") re += mode === "path" ? "[^/]" : ".";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
};

export const matchesGlob = (pattern: string, text: string, mode: "path" | "name" = "name"): boolean =>
  globToRegExp(pattern, mode).test(text);

/** Fills `{project}` in a configured pattern. */
export const forProject = (pattern: string, project: string): string =>
  pattern.split("{project}").join(project);
