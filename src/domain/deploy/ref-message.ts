/**
 * The commit messages behind release-pilot's refs (locks, watch claims): a first line
 * `<header><name>`, a blank line, then `field: value` lines people can read in the repository.
 */
export interface RefMessage {
  /** What follows the header on the first line (the environment, the claim's key). */
  name: string;
  field(name: string): string | undefined;
}

export const renderRefMessage = (header: string, name: string, fields: readonly [string, string][]): string =>
  [`${header}${name}`, "", ...fields.map(([k, v]) => `${k}: ${v}`), ""].join("\n");

/** The message's name and fields, or undefined when its first line is not `header`. */
export function parseRefMessage(text: string, header: string): RefMessage | undefined {
  const lines = text.split("\n");
  const first = lines[0] ?? "";
  if (!first.startsWith(header)) return undefined;
  return {
    name: first.slice(header.length).trim(),
    field: (name) =>
      lines
        .find((l) => l.startsWith(`${name}: `))
        ?.slice(name.length + 2)
        .trim(),
  };
}
