// Lock files follow the manifests the release bumps: only the repository's own packages'
// versions change, every other byte stays. The fixtures have the shapes the tools write:
// npm 9+ `lockfileVersion: 3` with workspaces (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json),
// Cargo.lock format 3 and 4 (Cargo 1.53+ and 1.78+) with workspace members, whose own crates
// carry no `source` (https://doc.rust-lang.org/cargo/reference/resolver.html).
import { describe, expect, it } from "@jest/globals";
import { releaseSection } from "../../../src/config/sections/release-section.js";
import { buildReleasePlan } from "../../../src/domain/release/build-release-plan.js";
import { jsonStringSpans, planLockFiles } from "../../../src/domain/manifests/lock-files.js";
import type { ReleasePlan } from "../../../src/domain/release/release-plan.js";

const tree = (files: Record<string, string>) => ({
  list: () => Object.keys(files).sort(),
  read: (path: string) => files[path],
});

const plan = (files: Record<string, string>, config = releaseSection.parse({})): ReleasePlan => {
  const result = buildReleasePlan({
    config,
    request: { kind: "bump", bump: "minor" },
    files: tree(files),
    latestTag: "v2.2.0",
    commits: [
      { sha: "a1", message: "feat: export to CSV", files: ["src/x.ts"], date: "2026-11-02T10:00:00Z" },
    ],
    date: "2026-12-01",
    repoUrl: "https://github.com/acme/shop",
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const after = (p: ReleasePlan, path: string) => p.files.find((f) => f.path === path)?.after;

const CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [2.2.0] - 2026-10-01\n\n### Added\n\n- Carts\n";

// npm 10 output for a workspace root with two workspaces and registry dependencies, one of which
// happens to be at the release's version (it must not move).
const PACKAGE_LOCK = `{
  "name": "shop",
  "version": "2.2.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "shop",
      "version": "2.2.0",
      "license": "MIT",
      "workspaces": [
        "apps/*"
      ],
      "devDependencies": {
        "typescript": "^5.6.3"
      }
    },
    "apps/docs": {
      "name": "@acme/docs",
      "version": "0.0.0"
    },
    "apps/web": {
      "name": "@acme/web",
      "version": "2.2.0",
      "dependencies": {
        "chalk": "^2.2.0"
      }
    },
    "node_modules/@acme/docs": {
      "resolved": "apps/docs",
      "link": true
    },
    "node_modules/@acme/web": {
      "resolved": "apps/web",
      "link": true
    },
    "node_modules/chalk": {
      "version": "2.2.0",
      "resolved": "https://registry.npmjs.org/chalk/-/chalk-2.2.0.tgz",
      "integrity": "sha512-0P3FHJ1mNP7Hvi6MfYsFKHqNcBr4jQ+Wk3Mc9K1dwMbJr7uY3YqX8+eFrLbVzw==",
      "license": "MIT"
    },
    "node_modules/typescript": {
      "version": "5.6.3",
      "resolved": "https://registry.npmjs.org/typescript/-/typescript-5.6.3.tgz",
      "integrity": "sha512-hjcS1mhfuyi4WW8IWtjP7brDrG2cuDZukyrYrSauoXGNgx0S7zceP07adYkJycEr56BOUTNPzbInooiN3fn1qw==",
      "dev": true,
      "license": "Apache-2.0",
      "bin": {
        "tsc": "bin/tsc",
        "tsserver": "bin/tsserver"
      },
      "engines": {
        "node": ">=14.17"
      }
    }
  }
}
`;

const NPM_FILES = {
  "CHANGELOG.md": CHANGELOG,
  "package.json": '{\n  "name": "shop",\n  "version": "2.2.0",\n  "workspaces": ["apps/*"]\n}\n',
  "package-lock.json": PACKAGE_LOCK,
  "apps/web/package.json": '{\n  "name": "@acme/web",\n  "version": "2.2.0"\n}\n',
  "apps/docs/package.json": '{\n  "name": "@acme/docs",\n  "version": "0.0.0"\n}\n',
};
const npmConfig = releaseSection.parse({
  projects: [
    { name: "shop", path: "." },
    { name: "web", path: "apps/web" },
    { name: "docs", path: "apps/docs" },
  ],
});

/** `text` with each listed occurrence (by its index among the matches of `needle`) replaced. */
const replaceNth = (text: string, needle: string, by: string, nth: readonly number[]): string => {
  let i = -1;
  let n = 0;
  let out = text;
  const found: number[] = [];
  while ((i = text.indexOf(needle, i + 1)) !== -1) found.push(i);
  for (const at of [...found].reverse()) {
    if (nth.includes(found.indexOf(at))) out = out.slice(0, at) + by + out.slice(at + needle.length);
    n++;
  }
  expect(n).toBeGreaterThan(Math.max(...nth));
  return out;
};

describe("package-lock.json follows the bumped package.json files", () => {
  it("sets the root's two versions and the bumped workspace's entry, nothing else", () => {
    const p = plan(NPM_FILES, npmConfig);
    expect(after(p, "package.json")).toContain('"version": "2.3.0"');
    // The occurrences of `"version": "2.2.0"`: root, packages[""], apps/web, chalk (a dependency).
    const expected = replaceNth(PACKAGE_LOCK, '"version": "2.2.0"', '"version": "2.3.0"', [0, 1, 2]);
    expect(after(p, "package-lock.json")).toBe(expected);
    expect(p.files.find((f) => f.path === "package-lock.json")?.fromVersion).toBe("2.2.0");
    // The 0.0.0 placeholder workspace stays, in its manifest and in the lock.
    expect(after(p, "apps/docs/package.json")).toBeUndefined();
    expect(after(p, "package-lock.json")).toContain('"name": "@acme/docs",\n      "version": "0.0.0"');
  });

  it("leaves the lock alone when only a workspace without an entry in it is bumped", () => {
    const lock = PACKAGE_LOCK.replace(
      '"apps/web": {\n      "name": "@acme/web",\n      "version": "2.2.0",',
      '"apps/web": {\n      "name": "@acme/web",',
    );
    const edits = planLockFiles(
      [
        {
          path: "apps/web/package.json",
          before: NPM_FILES["apps/web/package.json"],
          after: NPM_FILES["apps/web/package.json"].replace("2.2.0", "2.3.0"),
        },
      ],
      ["package-lock.json", "apps/web/package.json"],
      (path) => (path === "package-lock.json" ? lock : undefined),
    );
    expect(edits).toEqual([]);
  });

  it("keeps CRLF line endings and a lock without a trailing newline byte for byte", () => {
    const crlf = PACKAGE_LOCK.replace(/\n/g, "\r\n").trimEnd();
    const edits = planLockFiles(
      [{ path: "package.json", before: '{"version":"2.2.0"}', after: '{"version":"2.3.0"}' }],
      ["package.json", "package-lock.json"],
      () => crlf,
    );
    expect(edits).toHaveLength(1);
    expect(edits[0]?.after).toBe(replaceNth(crlf, '"version": "2.2.0"', '"version": "2.3.0"', [0, 1]));
  });

  it("uses the nearest lock: a package with its own lock file is not its parent's workspace", () => {
    const ownLock =
      '{\n  "name": "tool",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "packages": {\n    "": {\n      "name": "tool",\n      "version": "1.0.0"\n    }\n  }\n}\n';
    const edits = planLockFiles(
      [{ path: "tools/x/package.json", before: '{"version":"1.0.0"}', after: '{"version":"1.1.0"}' }],
      ["package-lock.json", "tools/x/package.json", "tools/x/package-lock.json"],
      (path) => (path === "tools/x/package-lock.json" ? ownLock : PACKAGE_LOCK),
    );
    expect(edits.map((e) => e.path)).toEqual(["tools/x/package-lock.json"]);
    expect(edits[0]?.after).toBe(ownLock.replaceAll('"version": "1.0.0"', '"version": "1.1.0"'));
  });

  it("reads keys decoded and is not fooled by look-alike strings, escapes or broken JSON", () => {
    const text =
      '{"packages":{"a\\/b":{"version":"1.0.0"},"x":{"note":"\\"version\\": \\"1.0.0\\""}},"version":"1.0.0"}';
    const spans = jsonStringSpans(text, [
      ["packages", "a/b", "version"],
      ["version"],
      ["packages", "x", "version"],
    ]);
    expect([...spans.keys()]).toEqual([
      JSON.stringify(["packages", "a/b", "version"]),
      JSON.stringify(["version"]),
    ]);
    expect(jsonStringSpans('{"version": "1.0', [["version"]]).size).toBe(0);
    // Nesting deeper than any lock stops the scan instead of recursing.
    expect(jsonStringSpans(`${"[".repeat(100_000)}`, [["version"]]).size).toBe(0);
  });
});

// Cargo 1.78+ writes `version = 4`; the workspace's own crates have no `source`.
const cargoLock = (format: 3 | 4) => `# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = ${format}

[[package]]
name = "itoa"
version = "1.0.11"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "49f1f14873335454500d59611f1cf4a4b0f786f9ac11f4312a78e4cf2566695b"

[[package]]
name = "serde"
version = "2.2.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "c8e94000a4b5b10a4d8f0e4b4f7e0b1a4d8c6e2b5a3f9d7c1e8a2b4d6f8e0a1c"

[[package]]
name = "shop-cli"
version = "2.2.0"
dependencies = [
 "shop-core",
 "shop-macros",
]

[[package]]
name = "shop-core"
version = "2.2.0"
dependencies = [
 "itoa",
 "serde",
]

[[package]]
name = "shop-macros"
version = "0.3.1"
`;

const cargoFiles = (format: 3 | 4) => ({
  "CHANGELOG.md": CHANGELOG,
  "Cargo.toml":
    '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "2.2.0"\nedition = "2021"\nlicense = "MIT"\n',
  "Cargo.lock": cargoLock(format),
  "crates/core/Cargo.toml":
    '[package]\nname = "shop-core"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\nserde = "2.2.0"\nitoa = "1"\n',
  "crates/cli/Cargo.toml":
    '[package]\nname = "shop-cli"\nversion = { workspace = true }\nedition.workspace = true\n\n[dependencies]\nshop-core = { path = "../core" }\n',
  "crates/macros/Cargo.toml": '[package]\nname = "shop-macros"\nversion = "0.3.1"\nedition = "2021"\n',
});
const cargoConfig = releaseSection.parse({ projects: [{ name: "shop", path: "." }] });

describe("Cargo.lock follows the bumped Cargo manifests", () => {
  it.each([3, 4] as const)(
    "format %i: the workspace's inheriting crates move, registry crates and independent members stay",
    (format) => {
      const p = plan(cargoFiles(format), cargoConfig);
      expect(after(p, "Cargo.toml")).toContain('[workspace.package]\nversion = "2.3.0"');
      const lock = cargoLock(format);
      const expected = lock
        .replace('name = "shop-cli"\nversion = "2.2.0"', 'name = "shop-cli"\nversion = "2.3.0"')
        .replace('name = "shop-core"\nversion = "2.2.0"', 'name = "shop-core"\nversion = "2.3.0"');
      expect(after(p, "Cargo.lock")).toBe(expected);
      // serde 2.2.0 comes from crates.io (it has a source): never the release's.
      expect(after(p, "Cargo.lock")).toContain('name = "serde"\nversion = "2.2.0"');
    },
  );

  it("a single crate's lock: its own entry follows its [package] version, CRLF kept", () => {
    const lock =
      '# This file is automatically @generated by Cargo.\r\n# It is not intended for manual editing.\r\nversion = 3\r\n\r\n[[package]]\r\nname = "tool"\r\nversion = "0.4.1"\r\n';
    const edits = planLockFiles(
      [
        {
          path: "tool/Cargo.toml",
          before: '[package]\nname = "tool"\nversion = "0.4.1"\n',
          after: '[package]\nname = "tool"\nversion = "0.5.0"\n',
        },
      ],
      ["tool/Cargo.toml", "tool/Cargo.lock"],
      () => lock,
    );
    expect(edits).toEqual([
      {
        path: "tool/Cargo.lock",
        before: lock,
        after: lock.replace('"0.4.1"', '"0.5.0"'),
        fromVersion: "0.4.1",
      },
    ]);
  });
});

describe("lock files that carry no self-version", () => {
  it("leaves pnpm-lock.yaml and yarn.lock as they are (importers by path; Yarn's 0.0.0-use.local)", () => {
    const pnpm =
      "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      typescript:\n        specifier: ^5.6.3\n        version: 5.6.3\n";
    const yarn =
      '"@acme/web@workspace:apps/web":\n  version: 0.0.0-use.local\n  resolution: "@acme/web@workspace:apps/web"\n  languageName: unknown\n  linkType: soft\n';
    const files = { ...NPM_FILES, "pnpm-lock.yaml": pnpm, "yarn.lock": yarn };
    delete (files as Record<string, string>)["package-lock.json"];
    const p = plan(files, npmConfig);
    expect(after(p, "package.json")).toContain("2.3.0");
    expect(p.files.map((f) => f.path)).not.toContain("pnpm-lock.yaml");
    expect(p.files.map((f) => f.path)).not.toContain("yarn.lock");
  });
});
