import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type CliAdapters, runPlanCommand, type CliIo } from "./cli/plan-command.js";
import { composeCli } from "./composition/cli-adapters.js";
import { EXIT, RefusedError, USAGE, UsageError } from "./cli/usage-error.js";

/** Command name → handler: the CLI's routing table. */
const commands: Record<string, (argv: readonly string[], io: CliIo, adapters: CliAdapters) => number> = {
  plan: runPlanCommand,
};

/**
 * One error, one line: as text on stderr, or with `--json` as `{"error": {...}}` on stdout
 * (npm's `--json` convention), so a script piping the output to a JSON reader gets JSON either way.
 */
const report = (io: CliIo, json: boolean, code: "usage" | "refused" | "failure", message: string): number => {
  const exitCode = EXIT[code];
  const line = message.replace(/(?<!\s)\s*\n\s*/g, " ");
  if (json) io.stdout(`${JSON.stringify({ error: { code, exitCode, message: line } }, null, 2)}\n`);
  else io.stderr(`release-pilot: ${line}\n`);
  return exitCode;
};

/**
 * Runs one CLI invocation; returns the exit code (see EXIT), with a one-line reason on failure.
 * The adapters come from the composition root (a local git checkout).
 */
export const main = (argv: readonly string[], io: CliIo, adapters: CliAdapters = composeCli()): number => {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    // `help plan` is `plan --help`.
    const topic = name === "help" ? rest[0] : undefined;
    if (topic !== undefined && commands[topic]) return main([topic, "--help"], io, adapters);
    io.stdout(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const json = rest.includes("--json");
  const command = commands[name];
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}" (try: ${Object.keys(commands).join(", ")})`);
    return command(rest, io, adapters);
  } catch (error) {
    if (error instanceof UsageError) return report(io, json, "usage", error.message);
    if (error instanceof RefusedError) return report(io, json, "refused", error.message);
    // Not `instanceof Error`: Node's own errors may come from another realm (a vm context).
    const text = (error as { message?: unknown } | null)?.message;
    const message = typeof text === "string" ? (text.split("\n")[0] ?? text) : String(error);
    return report(io, json, "failure", message);
  }
};

/** The process entry: real stdout/stderr and today's UTC date. */
export const run = (argv = process.argv.slice(2)): void => {
  process.exitCode = main(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    today: () => new Date().toISOString().slice(0, 10),
  });
};

const invokedDirectly = (): boolean => {
  try {
    return (
      process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href
    );
  } catch {
    return false;
  }
};

if (invokedDirectly()) run();
