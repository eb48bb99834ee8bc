import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { renderConfigReference } from "../src/config/render-config-reference.js";
import { renderCommandReference } from "../src/domain/commands/render-command-reference.js";

const readme = readFileSync("README.md", "utf8");
const section = (name: string) =>
  readme
    .slice(
      readme.indexOf(`<!-- ${name}:start -->`) + `<!-- ${name}:start -->`.length,
      readme.indexOf(`<!-- ${name}:end -->`),
    )
    .trim();

describe("README.md", () => {
  it("holds the config reference generated from the schema (npm run docs)", () => {
    expect(section("config-reference")).toBe(renderConfigReference());
  });

  it("holds the command reference generated from the registry (npm run docs)", () => {
    expect(section("command-reference")).toBe(renderCommandReference());
  });
});
