import { describe, expect, it } from "@jest/globals";
import { isJsonObject } from "../../src/domain/json-object.js";
import { parseMetricsFile } from "../../src/domain/checklist/metrics-file.js";

describe("isJsonObject", () => {
  it("accepts what JSON.parse makes of an object, and nothing else it can return", () => {
    expect(isJsonObject(JSON.parse('{"f1": 0.62}'))).toBe(true);
    expect(isJsonObject(JSON.parse("{}"))).toBe(true);
    // Every other JSON text parses to an array, null, a string, a number or a boolean (RFC 8259 §2).
    for (const text of ["[]", '[{"f1": 0.62}]', "null", '"{}"', "0.62", "true"]) {
      expect(isJsonObject(JSON.parse(text))).toBe(false);
    }
  });

  it("keeps a report's reader from reading fields off an array or null", () => {
    expect(parseMetricsFile('[{"f1": 0.62}]')).toEqual({
      ok: false,
      error: "metrics file is not a JSON object",
    });
    expect(parseMetricsFile("null")).toEqual({ ok: false, error: "metrics file is not a JSON object" });
    expect(parseMetricsFile("{")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^metrics file is malformed JSON: /),
    });
  });
});
