import { quote } from "./arguments.js";
import { findCommandLines } from "./command-lines.js";
import type { Command, CommandName } from "./command.js";
import { type CommandSpec, type CommandWords, commandSpecs, findCommandSpec } from "./command-specs.js";

export type ParseResult =
  | { kind: "none" }
  | { kind: "command"; command: Command }
  | { kind: "error"; name?: CommandName; message: string };

const MAX_LINE = 500;
// One separator, then the rest: `[ \t]+(.*)` would let the two runs trade blanks (polynomial
// backtracking); splitWords drops the blanks the rest starts with.
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9-]{0,30})(?:[ \t](.*))?$/;

/** The command lines GitHub shows (see findCommandLines), split into name and rest. */
const commandLines = (body: string): { name: string; rest: string; length: number }[] => {
  const found: { name: string; rest: string; length: number }[] = [];
  for (const rawLine of findCommandLines(body)) {
    const line = rawLine.trimEnd();
    const match = COMMAND_LINE.exec(line.slice(0, MAX_LINE + 1));
    if (match) found.push({ name: match[1] ?? "", rest: match[2] ?? "", length: line.length });
  }
  return found;
};

const splitWords = (spec: CommandSpec, rest: string): CommandWords | string => {
  const tokens = rest.split(/\s+/u).filter((token) => token.length > 0);
  const words: CommandWords = { positional: [], flags: new Map() };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (!token.startsWith("--")) {
      words.positional.push(token);
      continue;
    }
    const [flagName = "", inlineValue] = token.slice(2).split(/=(.*)/s, 2);
    const flag = spec.flags.find((f) => f.name === flagName);
    if (!flag) {
      const known = spec.flags.map((f) => `\`--${f.name}\``).join(", ");
      return `unknown option ${quote(token)}; ${spec.usage.split(" ")[0]} accepts ${known || "no options"}`;
    }
    if (words.flags.has(flag.name)) return `\`--${flag.name}\` is given twice`;
    if (flag.value === undefined) {
      words.flags.set(flag.name, true);
      continue;
    }
    const value = inlineValue ?? tokens[++i];
    if (value === undefined || value === "") return `\`--${flag.name}\` needs a value (${flag.value})`;
    words.flags.set(flag.name, value);
  }
  const [min, max] = spec.arity;
  const count = words.positional.length;
  if (count < min) return `missing argument`;
  if (count > max) return `too many arguments (${quote(words.positional.slice(max).join(" "))})`;
  return words;
};

const known = (): string => commandSpecs.map((spec) => `\`/${spec.name}\``).join(", ");

/**
 * The one parse function of the slash-command grammar. Total: whatever the text (huge,
 * unicode, control characters, shell or ref injection) it returns a value and never throws.
 * Commands count only at the start of a line GitHub shows as text (not in code, HTML, an HTML
 * comment or a quote: see findCommandLines); one command a comment.
 */
export const parseCommand = (body: unknown): ParseResult => {
  if (typeof body !== "string") return { kind: "none" };
  const lines = commandLines(body);
  const [line, second] = lines;
  if (!line) return { kind: "none" };
  const spec = findCommandSpec(line.name);
  if (!spec) {
    return {
      kind: "error",
      message: `${quote("/" + line.name)} is not a command. Known commands: ${known()}.`,
    };
  }
  if (second) {
    return {
      kind: "error",
      name: spec.name,
      message: "one command a comment, please: this one holds several",
    };
  }
  if (line.length > MAX_LINE) {
    return {
      kind: "error",
      name: spec.name,
      message: `the command line is longer than ${MAX_LINE} characters`,
    };
  }
  const words = splitWords(spec, line.rest);
  if (typeof words === "string") {
    return { kind: "error", name: spec.name, message: `${words}. Usage: \`${spec.usage}\`` };
  }
  const built = spec.build(words);
  return built.ok
    ? { kind: "command", command: built.value }
    : { kind: "error", name: spec.name, message: `${built.error}. Usage: \`${spec.usage}\`` };
};
