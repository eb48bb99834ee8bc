import { z } from "zod";
import { configSchema } from "./schema.js";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  not?: JsonSchema;
}

const typeOf = (schema: JsonSchema): string => {
  if (schema.not) return "(refused)";
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" \\| ");
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  if (schema.type === "object" && typeof schema.additionalProperties === "object") return "map";
  return Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
};

const cell = (value: unknown): string =>
  value === undefined ? "" : `\`${JSON.stringify(value).replace(/\|/g, "\\|")}\``;

const rows = (schema: JsonSchema, path: string): string[] => {
  const props = schema.properties;
  const isSection = schema.type === "object" && props !== undefined;
  if (isSection) {
    return Object.entries(props).flatMap(([key, child]) => rows(child, path ? `${path}.${key}` : key));
  }
  const value = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const own = `| \`${path}\` | ${typeOf(schema)} | ${cell(schema.default)} | ${(schema.description ?? "").replace(/\n/g, " ")} |`;
  return value?.properties ? [own, ...rows(value, `${path}.<name>`)] : [own];
};

/** The README's config reference, generated from the one config schema. */
export const renderConfigReference = (): string => {
  const json = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return ["| Key | Type | Default | Description |", "| --- | --- | --- | --- |", ...rows(json, "")].join(
    "\n",
  );
};
