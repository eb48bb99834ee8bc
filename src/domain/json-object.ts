/**
 * A parsed JSON value that is an object (not null, not an array): the one check every reader of
 * user-written JSON (reports, metrics files, PR-body markers) makes before reading its fields.
 */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The JSON object a hidden marker carries in a comment or PR body (`marker`'s first group),
 * looked for in the first 65,536 characters (GitHub's body limit); undefined when absent, not
 * JSON, or not an object. Bodies are written by anyone who can edit them: never throws.
 */
export const readHiddenJson = (
  body: string | null | undefined,
  marker: RegExp,
): Record<string, unknown> | undefined => {
  const match = marker.exec((body ?? "").slice(0, 65536));
  if (!match) return undefined;
  try {
    const data: unknown = JSON.parse(match[1] ?? "");
    return isJsonObject(data) ? data : undefined;
  } catch {
    return undefined;
  }
};
