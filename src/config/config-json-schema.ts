import { z } from "zod";
import { CONFIG_PATH, configSchema } from "./schema.js";

/** Where the generated JSON Schema is committed (`npm run docs` writes it). */
export const CONFIG_JSON_SCHEMA_PATH = "docs/release-pilot.schema.json";

/**
 * The JSON Schema of `.github/release-pilot.yml`, generated from the one zod schema (zod's
 * `z.toJSONSchema`, draft-07, which every YAML editor reads) for editors: completion, hover docs and errors as you type
 * through the YAML language server. It describes what a file may hold (the input side: every
 * key with a default is optional); the app's own validation stays the zod schema.
 */
const configJsonSchema = (): Record<string, unknown> => {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-7" });
  return {
    ...generated,
    $id: "https://github.com/release-pilot/release-pilot/blob/main/docs/release-pilot.schema.json",
    title: `release-pilot config (${CONFIG_PATH})`,
  };
};

/** The schema file's text: two-space JSON and a final newline (what prettier leaves as is). */
export const renderConfigJsonSchema = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
