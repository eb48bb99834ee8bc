/** One sample line of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses exposition text into samples (HELP/TYPE comments skipped). */
export const parseSamples = (text: string): Sample[] =>
  text.split("\n").flatMap((row) => {
    const match = line.exec(row);
    if (match?.[1] === undefined || match[3] === undefined) return [];
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(pair)].map((m) => [m[1], m[2]]));
    return [{ name: match[1], labels, value: Number(match[3]) }];
  });

/** The value of the one sample with this name and exactly these labels; undefined if absent. */
export const valueOf = (
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return parseSamples(text).find(
    (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted,
  )?.value;
};

/** The metric family names declared by `# TYPE` lines. */
export const familyNames = (text: string): string[] =>
  text
    .split("\n")
    .filter((row) => row.startsWith("# TYPE "))
    .map((row) => row.split(" ")[2] ?? "");
