#!/usr/bin/env node
// Runs the compiled CLI when the package is built, else the TypeScript source through tsx.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../lib/cli.js", import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  const { run } = await import(compiled.href);
  run();
} else {
  const source = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
  // tsx resolved from this package, so the launcher works from any working directory.
  const tsx = import.meta.resolve("tsx");
  const child = spawnSync(process.execPath, ["--import", tsx, source, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exitCode = child.status ?? 1;
}
