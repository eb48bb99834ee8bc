import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../../src/config/schema.js";
import {
  MAX_DEPTH,
  MAX_LEVELS,
  PROJECT_LEVELS,
  unwalkedWarnings,
  versionFileReach,
  WIDE_DIR,
} from "../../../src/domain/release/version-file-reach.js";

const release = defaultConfig().release;
const configured = {
  ...release,
  projects: [
    {
      name: "BankChurn-Predictor",
      path: "BankChurn-Predictor",
      image: "ghcr.io/duqueom/bankchurn-api",
      manifests: ["k8s/bankchurn-deployment.yaml"],
    },
    { name: "churn", path: "services/churn", versionFiles: ["deploy/**/values.yaml"] },
    { name: "data-tools", path: "data/tools" },
  ],
  versionFiles: ["VERSION", "data/schema/*.json"],
};

describe("which directories a release lists (versionFileReach)", () => {
  it("starts from the root and every place the config names, as deep as each reaches", () => {
    const reach = versionFileReach(configured);
    expect(reach.starts).toEqual(
      expect.arrayContaining([
        { dir: "", levels: 1 },
        { dir: "BankChurn-Predictor", levels: PROJECT_LEVELS },
        { dir: "k8s", levels: 1 },
        { dir: "services/churn", levels: PROJECT_LEVELS },
        { dir: "services/churn/deploy", levels: MAX_LEVELS },
        { dir: "data/tools", levels: PROJECT_LEVELS },
        { dir: "data/schema", levels: 1 },
      ]),
    );
    expect(reach.starts).toHaveLength(7);
  });

  it("keeps the config's places, leaves what no project or glob reaches", () => {
    const { levelsOf } = versionFileReach(configured);
    expect(levelsOf("BankChurn-Predictor/src", [])).toBe(PROJECT_LEVELS - 1);
    expect(levelsOf("BankChurn-Predictor/src/bankchurn", [])).toBe(PROJECT_LEVELS - 2);
    expect(levelsOf("BankChurn-Predictor/src/bankchurn/api", [])).toBe(0);
    // With projects configured nothing is discovered: another top-level directory is left.
    expect(levelsOf("notebooks", [])).toBe(0);
    expect(levelsOf(".github", [])).toBe(0);
    // A `**` glob is followed below its fixed part.
    expect(levelsOf("services/churn/deploy/prod/eu", [])).toBe(MAX_LEVELS - 2);
  });

  it("never descends data, dependencies or fixtures below a place, unless the config names them", () => {
    const discovered = versionFileReach(release);
    for (const dir of [
      "data",
      "datasets",
      "node_modules",
      "services/web/node_modules",
      "services/churn/.venv",
      "vendor",
      "tests/fixtures",
      "pkg/testdata",
      ".dvc",
      "services/churn/data",
    ])
      expect([dir, discovered.levelsOf(dir, [])]).toEqual([dir, 0]);
    // The config names `data/tools` (a project) and `data/schema` (a glob's fixed part).
    const { levelsOf } = versionFileReach(configured);
    expect(levelsOf("data/tools", [])).toBe(PROJECT_LEVELS);
    expect(levelsOf("data/schema", [])).toBe(1);
    // Below a project's directory the rule holds again.
    expect(levelsOf("BankChurn-Predictor/data", [])).toBe(0);
    expect(levelsOf("data/tools/fixtures", [])).toBe(0);
  });

  it("discovers projects down to four levels when none is configured", () => {
    const { starts, levelsOf } = versionFileReach(release);
    expect(starts).toEqual([{ dir: "", levels: 5 }]);
    expect(levelsOf("services", [])).toBe(4);
    expect(levelsOf("services/churn", [])).toBe(3);
    expect(levelsOf("services/churn/src/churn", [])).toBe(1);
    expect(levelsOf("services/churn/src/churn/api", [])).toBe(0);
  });

  it("leaves the sub-directories of a wide directory holding no manifest, and bounds depth", () => {
    const { levelsOf } = versionFileReach(release);
    const shards = Array.from({ length: WIDE_DIR + 1 }, (_, i) => `run-${i}`);
    expect(levelsOf("runs/run-1", shards)).toBe(0);
    expect(levelsOf("runs/run-1", shards.slice(0, WIDE_DIR))).toBe(3);
    // A wide directory that also holds a project marker is source: its directories are kept.
    expect(levelsOf("packages/a", [...shards, "package.json"])).toBe(3);
    const deep = versionFileReach({ ...release, versionFiles: ["**/VERSION"] });
    expect(deep.levelsOf(Array.from({ length: MAX_DEPTH + 1 }, () => "a").join("/"), [])).toBe(0);
    expect(deep.levelsOf(Array.from({ length: 7 }, () => "a").join("/"), [])).toBe(MAX_LEVELS - 7);
  });
});

describe("unwalkedWarnings", () => {
  it("names the first few directories a bound left, and how many more", () => {
    expect(unwalkedWarnings([])).toEqual([]);
    expect(unwalkedWarnings(undefined)).toEqual([]);
    expect(unwalkedWarnings(["services/a"])).toEqual([
      "The tree is too large to list whole: 1 directory was not looked into (`services/a`); version files there, if any, are not bumped.",
    ]);
    const many = unwalkedWarnings(Array.from({ length: 12 }, (_, i) => `s/${i}`))[0] ?? "";
    expect(many).toContain(
      "12 directories were not looked into (`s/0`, `s/1`, `s/2`, `s/3`, `s/4` and 7 more)",
    );
  });

  it("shows a crafted directory name as an inert code span", () => {
    const [warning] = unwalkedWarnings(["evil`@team <img src=x>"]);
    // A fence longer than the name's own backticks: no mention, no HTML, no way out of the span.
    expect(warning).toContain("(``evil`@team <img src=x>``)");
  });
});
