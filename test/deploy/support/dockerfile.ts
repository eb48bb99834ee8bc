/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Enough of the Dockerfile grammar for our own file: comments, `\` continuations, stages. */
export const parseDockerfile = (text: string): Stage[] => {
  const joined = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const stages: Stage[] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].replace(/\s+/g, " ").trim() };
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args.split(" ");
      stages.push({ image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else {
      const current = stages.at(-1);
      if (current === undefined) throw new Error(`${instruction.keyword} before any FROM`);
      current.instructions.push(instruction);
    }
  }
  return stages;
};

/** The exec-form (JSON array) arguments of CMD, ENTRYPOINT or HEALTHCHECK … CMD. */
export const execForm = (args: string): string[] => {
  const start = args.indexOf("[");
  if (start < 0) throw new Error(`not in exec form: ${args}`);
  const parsed: unknown = JSON.parse(args.slice(start));
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) {
    throw new Error(`not a string array: ${args}`);
  }
  return parsed;
};

/** KEY=value pairs of one ENV instruction (the `ENV a=b c=d` form). */
export const envPairs = (args: string): Record<string, string> =>
  Object.fromEntries(
    args.split(" ").map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
