import { describe, expect, it } from "@jest/globals";
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_JSON_SCHEMA_PATH, renderConfigJsonSchema } from "../../src/config/config-json-schema.js";
import { configSchema } from "../../src/config/schema.js";

/**
 * The committed JSON Schema is what `npm run docs` generates from the zod schema today, and it
 * judges config files as the app does: it is checked with Ajv (draft-07, the draft the YAML
 * language server reads) against the demo's config and against files the app refuses.
 */
const committed = readFileSync(CONFIG_JSON_SCHEMA_PATH, "utf8");
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);
const demoConfig = parse(
  readFileSync("sandbox/sample/monorepo/.github/release-pilot.yml", "utf8"),
) as unknown;

describe(CONFIG_JSON_SCHEMA_PATH, () => {
  it("is what npm run docs generates from the config schema", () => {
    expect(committed).toBe(renderConfigJsonSchema());
  });

  it("validates the demo's config, which the app accepts too", () => {
    expect(configSchema.safeParse(demoConfig).success).toBe(true);
    expect(validate(demoConfig)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate({})).toBe(true); // every key has a default
  });

  it("refuses what the app refuses: unknown keys, wrong types, values out of range", () => {
    const refused: unknown[] = [
      { relase: {} },
      { release: { developBranch: 3 } },
      { release: { developBranch: "" } },
      { environments: { production: { cluster: "Not A Name" } } },
      { checklist: "yes" },
    ];
    for (const config of refused) {
      expect(configSchema.safeParse(config).success).toBe(false);
      expect(validate(config)).toBe(false);
    }
  });

  it("carries the docs an editor shows on hover", () => {
    const schema = JSON.parse(committed) as {
      properties: { release: { properties: Record<string, { description?: string }> } };
    };
    expect(schema.properties.release.properties.developBranch?.description).toBe(
      "Branch releases are cut from.",
    );
  });
});
