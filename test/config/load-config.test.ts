import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { loadConfig, parseExtends } from "../../src/config/load-config.js";
import { parseConfigText } from "../../src/config/parse-config.js";
import { defaultConfig } from "../../src/config/schema.js";

const repo = { owner: "duqueom", repo: "ml-portfolio" };
const reader = (files: Record<string, string>) => {
  const reads: string[] = [];
  const read = (r: { owner: string; repo: string }, path: string, ref?: string) => {
    const key = `${r.owner}/${r.repo}:${path}${ref ? `@${ref}` : ""}`;
    reads.push(key);
    return Promise.resolve(files[key]);
  };
  return { read, reads };
};

describe("parseConfigText", () => {
  it("gives the defaults of the release guide for an empty file", () => {
    const result = parseConfigText("");
    expect(result).toEqual({ ok: true, config: defaultConfig() });
    if (!result.ok) return;
    expect(result.config.release).toMatchObject({
      developBranch: "develop",
      mainBranch: "main",
      releaseBranchPrefix: "release/v",
      hotfixBranchPrefix: "hotfix/",
      tagPrefix: "v",
    });
  });

  it("names the path of every bad key", () => {
    const result = parseConfigText(
      "release:\n  tagPrefix: 7\ncommands:\n  deploy:\n    permission: root\nextra: 1\n",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain("release.tagPrefix: expected string, received number");
    expect(result.errors.some((e) => e.startsWith("commands.deploy.permission: "))).toBe(true);
    expect(result.errors.some((e) => e.startsWith("(root): ") && e.includes("extra"))).toBe(true);
  });

  it("reports YAML syntax errors and non-mapping files without throwing", () => {
    expect(parseConfigText("release: [")).toMatchObject({ ok: false });
    expect(parseConfigText("- a\n- b")).toEqual({
      ok: false,
      errors: ["(root): expected a mapping of settings"],
    });
    expect(parseConfigText("a: &x [*x]")).toMatchObject({ ok: false });
  });

  it("never throws on random or hostile text (property-based)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 400 }),
          fc
            .dictionary(fc.constantFrom("release", "commands", "_extends", "x"), fc.jsonValue(), {
              maxKeys: 4,
            })
            .map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const result = parseConfigText(text);
          expect(typeof result.ok).toBe("boolean");
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("loadConfig", () => {
  it("uses the defaults when the repository has no config file", async () => {
    const { read } = reader({});
    await expect(loadConfig(read, repo)).resolves.toEqual({
      ok: true,
      config: defaultConfig(),
      source: "default",
      files: [],
    });
  });

  it("follows _extends to org-wide defaults, the repository's own values winning", async () => {
    const { read, reads } = reader({
      "duqueom/ml-portfolio:.github/release-pilot.yml": "_extends: .github\nrelease:\n  tagPrefix: ''\n",
      "duqueom/.github:.github/release-pilot.yml":
        "release:\n  tagPrefix: release-\n  developBranch: dev\n  labels: [ship]\n",
    });
    const loaded = await loadConfig(read, repo);
    expect(reads).toEqual([
      "duqueom/ml-portfolio:.github/release-pilot.yml",
      "duqueom/.github:.github/release-pilot.yml",
    ]);
    expect(loaded.ok && loaded.config.release).toMatchObject({
      tagPrefix: "",
      developBranch: "dev",
      labels: ["ship"],
    });
  });

  it("reads a file and path of the same owner (any case), and reads at a commit when given one", async () => {
    const { read } = reader({
      "duqueom/ml-portfolio:.github/release-pilot.yml@abc":
        "_extends: DuqueOM/defaults:configs/release.yml\n",
      "DuqueOM/defaults:configs/release.yml": "release:\n  mainBranch: trunk\n",
    });
    const loaded = await loadConfig(read, repo, "abc");
    expect(loaded.ok && loaded.config.release.mainBranch).toBe("trunk");
  });

  it("refuses another owner's repository without reading it", async () => {
    const { read, reads } = reader({
      "duqueom/ml-portfolio:.github/release-pilot.yml": "_extends: platform/defaults:configs/release.yml\n",
      "platform/defaults:configs/release.yml": "release:\n  mainBranch: trunk\n",
    });
    await expect(loadConfig(read, repo)).resolves.toMatchObject({
      ok: false,
      errors: ["_extends: only a repository of the same owner (`duqueom`) can be extended"],
    });
    expect(reads).toEqual(["duqueom/ml-portfolio:.github/release-pilot.yml"]);
  });

  it("refuses a bad _extends value instead of fetching it", async () => {
    const { read, reads } = reader({
      "duqueom/ml-portfolio:.github/release-pilot.yml": "_extends: ../../secrets:../x\n",
    });
    const loaded = await loadConfig(read, repo);
    expect(loaded.ok).toBe(false);
    expect(reads).toHaveLength(1);
  });

  it("stops an _extends cycle", async () => {
    const { read } = reader({
      "duqueom/ml-portfolio:.github/release-pilot.yml": "_extends: other\n",
      "duqueom/other:.github/release-pilot.yml": "_extends: ml-portfolio\n",
    });
    const loaded = await loadConfig(read, repo);
    expect(loaded).toMatchObject({ ok: false, errors: ["_extends: more than 3 levels"] });
  });

  it("names an extended file that is missing the way it names an invalid one", async () => {
    const { read } = reader({ "duqueom/ml-portfolio:.github/release-pilot.yml": "_extends: .github\n" });
    await expect(loadConfig(read, repo)).resolves.toMatchObject({
      ok: false,
      errors: [
        "_extends: `duqueom/.github:.github/release-pilot.yml` (extended) is not valid or cannot be read",
      ],
    });
  });

  it.each([
    [".github", { repo: { owner: "duqueom", repo: ".github" }, path: ".github/release-pilot.yml" }],
    ["duqueom/repo:a/b.yml", { repo: { owner: "duqueom", repo: "repo" }, path: "a/b.yml" }],
  ])("parses _extends %s", (value, expected) => {
    expect(parseExtends(value, repo)).toEqual(expected);
  });
});
