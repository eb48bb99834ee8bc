import { describe, expect, it } from "@jest/globals";
import type { z } from "zod";
import { checklistSection } from "../../../src/config/sections/checklist-section.js";

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
}
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Paths of object keys that carry no description (the reference docs are generated from them). */
const undescribed = (schema: z.ZodType, path = "checklist"): string[] => {
  let s = schema;
  while (["default", "prefault", "optional"].includes(def(s).type)) s = def(s).innerType!;
  const d = def(s);
  const out: string[] = [];
  if (d.type === "object") {
    for (const [key, child] of Object.entries(d.shape!)) {
      if (!child.description) out.push(`${path}.${key}`);
      out.push(...undescribed(child, `${path}.${key}`));
    }
  }
  if (d.type === "record") out.push(...undescribed(d.valueType!, `${path}.<name>`));
  return out;
};

describe("checklist config section", () => {
  it("defaults to the release guide: coverage ≥ 75%, no critical/high findings, README updated, every gate required", () => {
    const c = checklistSection.parse({});
    expect(c.coverage.threshold).toBe(75);
    expect(c.security.severities).toEqual(["critical", "high"]);
    expect(c.docs.files).toEqual(["README.md"]);
    expect(c.approvals.count).toBe(1);
    for (const gate of [
      "tests",
      "coverage",
      "security",
      "docs",
      "versions",
      "models",
      "integration",
      "approvals",
      "compliance",
    ] as const) {
      expect(c[gate]).toMatchObject({ enabled: true, required: true });
    }
  });
  it("describes every key", () => {
    expect(undescribed(checklistSection)).toEqual([]);
  });
  it("rejects a bad threshold expression or an unknown key with the path", () => {
    const bad = checklistSection.safeParse({
      models: { projects: { BankChurn: { name: "m", metrics: { f1: "at least 0.6" } } } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["models", "projects", "BankChurn", "metrics", "f1"]);
    const typo = checklistSection.safeParse({ coverage: { treshold: 80 } });
    expect(typo.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["treshold"] });
  });
});
