/**
 * A parsed JSON value that is an object (not null, not an array): the one check every reader of
 * user-written JSON (reports, metrics files, PR-body markers) makes before reading its fields.
 */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
