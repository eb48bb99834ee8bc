import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { TreeSnapshot } from "../../../src/domain/release/release-plan.js";

export const MONOREPO = join(import.meta.dirname, "../../fixtures/release/monorepo");

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );

/** The fixture monorepo as an in-memory tree, with per-test overrides (undefined deletes a file). */
export const fixtureTree = (
  overrides: Record<string, string | undefined> = {},
): TreeSnapshot & {
  files: Map<string, string>;
} => {
  const files = new Map<string, string>();
  for (const path of walk(MONOREPO)) files.set(relative(MONOREPO, path), readFileSync(path, "utf8"));
  for (const [path, text] of Object.entries(overrides)) {
    if (text === undefined) files.delete(path);
    else files.set(path, text);
  }
  return { files, list: () => [...files.keys()].sort(), read: (p) => files.get(p) };
};
