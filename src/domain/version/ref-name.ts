/**
 * Whether text is safe to use inside a git ref we create: the rules of `git check-ref-format`
 * plus ours (ASCII only, no `refs/` prefix, bounded length). Hostile input such as `../x`,
 * `refs/heads/main`, spaces or control characters fails.
 */
export const isSafeRefName = (text: string): boolean => {
  if (typeof text !== "string" || text.length === 0 || text.length > 200) return false;
  if (!/^[A-Za-z0-9._/+-]+$/.test(text)) return false;
  if (text.startsWith("refs/") || text.startsWith("/") || text.startsWith("-")) return false;
  if (text.endsWith("/") || text.endsWith(".") || text.endsWith(".lock")) return false;
  if (text.includes("..") || text.includes("//") || text === "@" || text === "HEAD") return false;
  return text.split("/").every((part) => part.length > 0 && !part.startsWith("."));
};
