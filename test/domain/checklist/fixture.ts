import { readFileSync } from "node:fs";

/** A file of test/fixtures/checklist as text. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/checklist/${name}`, import.meta.url), "utf8");
