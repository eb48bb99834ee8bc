import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { type Config, configSchema } from "./schema.js";

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const MAX_CONFIG_BYTES = 256 * 1024;

/** `checklist.coverage.threshold: expected number, received string`. */
export const formatConfigIssues = (issues: readonly z.core.$ZodIssue[]): string[] =>
  issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(root)";
    const message = issue.message.replace(/^Invalid input: /, "");
    return `${path}: ${message}`;
  });

/** Validates an already-parsed config value. Total: never throws. */
export const validateConfig = (value: unknown): ConfigResult => {
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, errors: ["(root): expected a mapping of settings"] };
  }
  const result = configSchema.safeParse(value);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, errors: formatConfigIssues(result.error.issues) };
};

/** Parses and validates the YAML text of `.github/release-pilot.yml`. Total: never throws. */
export const parseConfigText = (text: string): ConfigResult => {
  if (text.length > MAX_CONFIG_BYTES)
    return { ok: false, errors: ["(root): the file is larger than 256 KiB"] };
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, errors: [`(yaml): ${message}`] };
  }
  return validateConfig(value);
};
