// `node --import ./test/support/module-log/internal-modules.mjs …`: on SIGUSR2 the process writes
// the internal modules it has loaded (`process.moduleLoadList`, one a line: "NativeModule
// internal/deps/undici/undici" once anything touched Node's fetch) to the file
// INTERNAL_MODULE_LOG names, then "end" on a line of its own.
import { writeFileSync } from "node:fs";

const out = process.env.INTERNAL_MODULE_LOG;
if (out) {
  process.on("SIGUSR2", () => writeFileSync(out, `${process.moduleLoadList.join("\n")}\nend\n`));
}
