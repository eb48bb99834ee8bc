/** A small glob matcher for config paths: `*` (within a segment), `**` (any depth), `?`. */
export const globToRegExp = (glob: string): RegExp => {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
};

export const matchGlobs = (globs: readonly string[], paths: readonly string[]): string[] => {
  const patterns = globs.map(globToRegExp);
  return paths.filter((p) => patterns.some((re) => re.test(p)));
};
