import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { runPlanCommand, type CliIo } from "./cli/plan-command.js";
import { USAGE, UsageError } from "./cli/usage-error.js";

/** Command name → handler: the CLI's routing table. */
const commands: Record<string, (argv: readonly string[], io: CliIo) => number> = {
  plan: runPlanCommand,
};

/** Runs one CLI invocation; returns the exit code (2 for bad input, with a one-line reason). */
export const main = (argv: readonly string[], io: CliIo): number => {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}" (try: ${Object.keys(commands).join(", ")})`);
    return command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`release-pilot: ${error.message.replace(/(?<!\s)\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    io.stderr(`release-pilot: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    return 1;
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
