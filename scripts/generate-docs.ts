import { readFileSync, writeFileSync } from "node:fs";
import { CONFIG_JSON_SCHEMA_PATH, renderConfigJsonSchema } from "../src/config/config-json-schema.js";
import { renderConfigReference } from "../src/config/render-config-reference.js";
import { renderCommandReference } from "../src/domain/commands/render-command-reference.js";

/**
 * Rewrites the generated sections of README.md from the config schema and the command registry,
 * and the config's JSON Schema (docs/release-pilot.schema.json).
 */
const replaceBetween = (text: string, name: string, body: string): string => {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
};

const readme = readFileSync("README.md", "utf8");
const updated = replaceBetween(
  replaceBetween(readme, "config-reference", renderConfigReference()),
  "command-reference",
  renderCommandReference(),
);
writeFileSync("README.md", updated);
console.log(updated === readme ? "README.md is up to date" : "README.md updated");

const schemaText = renderConfigJsonSchema();
const committed = (() => {
  try {
    return readFileSync(CONFIG_JSON_SCHEMA_PATH, "utf8");
  } catch {
    return "";
  }
})();
writeFileSync(CONFIG_JSON_SCHEMA_PATH, schemaText);
console.log(
  committed === schemaText
    ? `${CONFIG_JSON_SCHEMA_PATH} is up to date`
    : `${CONFIG_JSON_SCHEMA_PATH} updated`,
);
