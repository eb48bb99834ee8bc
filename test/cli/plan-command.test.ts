import { afterAll, afterEach, describe, expect, it } from "@jest/globals";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli.js";
import { createTempRepo } from "./temp-repo.js";

const repos: ReturnType<typeof createTempRepo>[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const run = (...argv: string[]) => {
  let stdout = "";
  let stderr = "";
  const code = main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    today: () => "2025-01-15",
  });
  return { code, stdout, stderr };
};

/** The guide's monorepo released as v1.1.0, then three conventional commits on top. */
const releasedRepo = (track = true) => {
  const repo = createTempRepo();
  if (track) repos.push(repo);
  repo.git(["tag", "v1.1.0"]);
  repo.commit("feat(bankchurn): add batch prediction endpoint", {
    "BankChurn-Predictor/src/bankchurn/batch.py": "def batch(): ...\n",
  });
  repo.commit("fix: memory leak in the API", {
    "CarVision-Market-Intelligence/src/carvision/api.py": "# fixed\n",
    "TelecomAI-Customer-Intelligence/src/telecom/api.py": "# fixed\n",
  });
  repo.commit("docs: operations guide", { "docs/OPERATIONS.md": "# Ops\n" });
  repo.git(["remote", "add", "origin", "git@github.com:DuqueOM/ML-MLOps-Portfolio.git"]);
  return repo;
};

describe("release-pilot plan --json", () => {
  it("prints the plan of the guide's monorepo", () => {
    const repo = releasedRepo();
    const { code, stdout, stderr } = run("plan", "--dir", repo.dir, "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.version).toBe("1.2.0");
    expect(plan.previousVersion).toBe("1.1.0");
    expect(plan.startsFrom).toBe("tag v1.1.0");
    expect(plan.files.map((f: { path: string }) => f.path)).toEqual([
      "BankChurn-Predictor/Dockerfile",
      "BankChurn-Predictor/pyproject.toml",
      "BankChurn-Predictor/src/bankchurn/__init__.py",
      "CarVision-Market-Intelligence/Dockerfile",
      "CarVision-Market-Intelligence/pyproject.toml",
      "CarVision-Market-Intelligence/src/carvision/__init__.py",
      "TelecomAI-Customer-Intelligence/Dockerfile",
      "TelecomAI-Customer-Intelligence/pyproject.toml",
      "TelecomAI-Customer-Intelligence/src/telecom/__init__.py",
      "CHANGELOG.md",
    ]);
    for (const file of plan.files) {
      expect(Object.keys(file).sort()).toEqual(["after", "before", "path"]);
      expect(file.before).toBe(readFileSync(join(repo.dir, file.path), "utf8"));
    }
    const init = plan.files.find((f: { path: string }) => f.path.endsWith("bankchurn/__init__.py"));
    expect(init.after).toBe('"""BankChurn-Predictor package."""\n\n__version__ = "1.2.0"\n');
    expect(plan.changelog).toEqual({
      path: "CHANGELOG.md",
      section:
        "### Added\n- **BankChurn-Predictor**: Add batch prediction endpoint\n\n### Fixed\n- **CarVision-Market-Intelligence, TelecomAI-Customer-Intelligence**: Memory leak in the API",
      notesFrom: "3 commit(s) (Unreleased is empty)",
    });
    const changelog = plan.files.at(-1);
    expect(changelog.after).toContain("## [1.2.0] - 2025-01-15");
    expect(changelog.after).toContain(
      "[1.2.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...v1.2.0",
    );
    expect(plan.warnings).toEqual(["Unreleased is empty: notes generated from 3 commit(s)."]);
  });

  it.each([
    [["--version", "major"], "2.0.0"],
    [["--version", "patch", "--pre", "rc"], "1.1.1-rc.1"],
    [["--version", "1.3.0-rc.1"], "1.3.0-rc.1"],
  ])("%j → %s", (args, version) => {
    const repo = releasedRepo();
    const { code, stdout } = run("plan", "--dir", repo.dir, "--json", "--date", "2025-02-01", ...args);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).version).toBe(version);
    expect(JSON.parse(stdout).changelog.section).not.toBe("");
  });

  it("without a tag, refuses rather than pick commits by date, and takes the range from --from", () => {
    const repo = createTempRepo();
    repos.push(repo);
    repo.commit(
      "feat: old feature already in 1.1.0",
      { "BankChurn-Predictor/a.py": "1\n" },
      "2025-01-02T23:30:00+02:00",
    );
    const released = repo.git(["rev-parse", "HEAD"]).trim();
    // Made later on the day of the 1.1.0 release: a date filter would drop it.
    repo.commit(
      "fix: new fix after 1.1.0",
      { "BankChurn-Predictor/b.py": "1\n" },
      "2025-01-02T23:50:00+02:00",
    );
    const refused = run("plan", "--dir", repo.dir, "--json");
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout).error.message).toContain(
      "No `v*` tag marks the previous release (the CHANGELOG's newest is 1.1.0), and commits are never picked by date",
    );
    const plan = JSON.parse(run("plan", "--dir", repo.dir, "--json", "--from", released).stdout);
    expect(plan.version).toBe("1.1.1");
    expect(plan.changelog.section).toBe("### Fixed\n- **BankChurn-Predictor**: New fix after 1.1.0");
    expect(run("plan", "--dir", repo.dir, "--from", "--output=/tmp/x").code).toBe(2);
  });

  it("starts from the highest release tag anywhere, not the newest reachable one", () => {
    const repo = releasedRepo();
    // 1.4.0 was tagged on a release branch develop never merged back.
    repo.git(["checkout", "-q", "-b", "release/v1.4.0", "v1.1.0"]);
    repo.commit("chore(release): 1.4.0", { "VERSION.txt": "1.4.0\n" });
    repo.git(["tag", "v1.4.0"]);
    repo.git(["checkout", "-q", "main"]);
    const plan = JSON.parse(run("plan", "--dir", repo.dir, "--json", "--version", "minor").stdout);
    expect(plan.previousVersion).toBe("1.4.0");
    expect(plan.version).toBe("1.5.0");
    const refused = run("plan", "--dir", repo.dir, "--version", "1.3.0");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      "1.3.0 is not greater than the latest release 1.4.0 (tag v1.4.0: 1.4.0)",
    );
  });

  it("reads projects, images and manifests from --config", () => {
    const repo = releasedRepo();
    const config = join(repo.dir, "custom.yml");
    writeFileSync(
      config,
      "release:\n  projects:\n    - name: BankChurn\n      path: BankChurn-Predictor\n      image: ghcr.io/duqueom/bankchurn-api\n      manifests: [k8s/bankchurn-deployment.yaml, docker-compose.demo.yml]\n",
    );
    const plan = JSON.parse(run("plan", "--dir", repo.dir, "--config", config, "--json").stdout);
    const paths = plan.files.map((f: { path: string }) => f.path);
    expect(paths).toContain("k8s/bankchurn-deployment.yaml");
    expect(paths).toContain("docker-compose.demo.yml");
    expect(paths).not.toContain("CarVision-Market-Intelligence/pyproject.toml");
    expect(plan.changelog.section).toContain("- **BankChurn**: Add batch prediction endpoint");
  });
});

describe("release-pilot plan (text and --write)", () => {
  it("prints diffs, the section and warnings", () => {
    const repo = releasedRepo();
    const { code, stdout } = run("plan", "--dir", repo.dir);
    expect(code).toBe(0);
    expect(stdout).toContain("Release 1.1.0 → 1.2.0 (minor, starts from tag v1.1.0)");
    expect(stdout).toContain(
      "--- a/BankChurn-Predictor/pyproject.toml\n+++ b/BankChurn-Predictor/pyproject.toml\n@@ -4,7 +4,7 @@",
    );
    expect(stdout).toContain(
      '-version = "1.1.0"  # managed by release-pilot\n+version = "1.2.0"  # managed by release-pilot',
    );
    expect(stdout).toContain(
      "CHANGELOG.md section (notes from 3 commit(s) (Unreleased is empty)):\n\n### Added",
    );
    expect(stdout).toContain("Warnings:\n  - Unreleased is empty");
  });

  it("--write applies the plan to the working tree, and the next plan starts from it", () => {
    const repo = releasedRepo();
    expect(run("plan", "--dir", repo.dir, "--write").code).toBe(0);
    const changed = repo
      .git(["status", "--porcelain"])
      .trim()
      .split("\n")
      .map((l) => l.slice(3))
      .sort();
    expect(changed).toHaveLength(10);
    expect(changed).toContain("CHANGELOG.md");
    expect(readFileSync(join(repo.dir, "TelecomAI-Customer-Intelligence/Dockerfile"), "utf8")).toContain(
      'version="1.2.0"',
    );
    repo.commit("chore(release): 1.2.0");
    repo.git(["tag", "v1.2.0"]);
    repo.commit("fix(telecom): timeout", { "TelecomAI-Customer-Intelligence/src/telecom/t.py": "1\n" });
    const next = JSON.parse(run("plan", "--dir", repo.dir, "--json", "--date", "2025-01-20").stdout);
    expect(next).toMatchObject({ version: "1.2.1", previousVersion: "1.2.0" });
    expect(next.warnings).toEqual(["Unreleased is empty: notes generated from 1 commit(s)."]);
  });
});

describe("bad input exits 2 and a refused plan 3, with a one-line reason", () => {
  let shared: ReturnType<typeof releasedRepo> | undefined;
  afterAll(() => shared?.cleanup());
  it.each([
    [["plan", "--version", "banana"], 2, /"banana" is not a SemVer version/],
    [["plan", "--version", "vv1.3.0"], 2, /"vv1\.3\.0" is not a SemVer version/],
    [["plan", "--version", "1.0.0"], 3, /1\.0\.0 is not greater than the latest release 1\.1\.0/],
    [["plan", "--version", "v1.1.0"], 3, /1\.1\.0 is not greater than the latest release 1\.1\.0/],
    [["plan", "--version", "1.3.0-preview.1"], 3, /Pre-release "preview" is not allowed/],
    [["plan", "--date", "15/01/2025"], 2, /--date "15\/01\/2025" is not a date/],
    [["plan", "--nope"], 2, /Unknown option '--nope'/],
    [["plan", "--version", "1.3.0", "--pre", "rc"], 2, /--pre goes with/],
    [["deploy"], 2, /unknown command "deploy"/],
  ])("%j exits %i", (argv, exitCode, reason) => {
    shared ??= releasedRepo(false);
    const repo = shared;
    const { code, stdout, stderr } = run(...argv, "--dir", repo.dir);
    expect(code).toBe(exitCode);
    expect(stdout).toBe("");
    expect(stderr).toMatch(reason);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("with --json, says it as JSON on stdout, with the same exit code", () => {
    const repo = releasedRepo();
    for (const [argv, code, exitCode] of [
      [["--version", "banana"], "usage", 2],
      [["--nope"], "usage", 2],
      [["--version", "1.0.0"], "refused", 3],
    ] as const) {
      const result = run("plan", "--dir", repo.dir, "--json", ...argv);
      expect(result.code).toBe(exitCode);
      expect(result.stderr).toBe("");
      const { error } = JSON.parse(result.stdout) as {
        error: { code: string; exitCode: number; message: string };
      };
      expect(error).toEqual({ code, exitCode, message: expect.any(String) });
      expect(error.message).not.toContain("\n");
    }
  });

  it("a failure that is no one's input exits 1 (here a directory where a version file is written)", () => {
    const repo = releasedRepo();
    // The plan reads the committed file; the working tree has a directory in its place.
    rmSync(join(repo.dir, "CHANGELOG.md"));
    mkdirSync(join(repo.dir, "CHANGELOG.md"));
    const text = run("plan", "--dir", repo.dir, "--write");
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^release-pilot: EISDIR: illegal operation on a directory/);
    const json = run("plan", "--dir", repo.dir, "--write", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.slice(json.stdout.lastIndexOf('{\n  "error"')))).toMatchObject({
      error: { code: "failure", exitCode: 1 },
    });
  });

  it("rejects a directory that is not a checkout, and a bad config", () => {
    const repo = releasedRepo();
    repo.git(["init", "-q", "--bare", "bare.git"]);
    expect(run("plan", "--dir", join(repo.dir, "nowhere")).stderr).toBe(
      `release-pilot: --dir ${join(repo.dir, "nowhere")} is not a directory\n`,
    );
    writeFileSync(join(repo.dir, "bad.yml"), "release:\n  tagPrefix: 7\n  prerelease: ['r c']\n");
    const bad = run("plan", "--dir", repo.dir, "--config", join(repo.dir, "bad.yml"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^release-pilot: bad config .*bad\.yml: release\.tagPrefix: expected string, received number; release\.prerelease\.0: .*\n$/,
    );
  });
});

describe("--write safety", () => {
  it("refuses a changelog path outside the checkout", () => {
    const repo = releasedRepo();
    const config = join(repo.dir, "escape.yml");
    writeFileSync(config, "release:\n  changelogPath: ../escaped-CHANGELOG.md\n");
    const result = run("plan", "--dir", repo.dir, "--config", config, "--write");
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `release-pilot: refusing to write ../escaped-CHANGELOG.md: outside ${repo.dir}\n`,
    );
    expect(repo.git(["status", "--porcelain"])).toBe("?? escape.yml\n");
  });
});

describe("help and versions", () => {
  it("prints each command's help with exit 0, and the command list", () => {
    for (const argv of [
      ["plan", "--help"],
      ["plan", "-h"],
      ["help", "plan"],
      ["plan", "--nope", "--help"],
    ]) {
      const { code, stdout, stderr } = run(...argv);
      expect([code, stderr]).toEqual([0, ""]);
      expect(stdout).toMatch(/^Usage: release-pilot plan /);
      for (const option of [
        "--dir",
        "--version",
        "--pre",
        "--config",
        "--date",
        "--json",
        "--write",
        "--help",
      ])
        expect(stdout).toContain(option);
      expect(stdout).toContain("Exit status: 0 done, 1 failure, 2 usage error, 3 plan refused.");
    }
    const top = run("--help");
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: release-pilot <command> \[options\]\n\nCommands:\n {2}plan /);
    expect(run().code).toBe(2);
  });

  it("takes a v-prefixed version as /release does", () => {
    const repo = releasedRepo();
    const bare = JSON.parse(run("plan", "--dir", repo.dir, "--json", "--version", "1.3.0").stdout);
    const prefixed = JSON.parse(run("plan", "--dir", repo.dir, "--json", "--version", "v1.3.0").stdout);
    expect(prefixed).toEqual(bare);
    expect(prefixed).toMatchObject({ version: "1.3.0", tag: "v1.3.0", branch: "release/v1.3.0" });
  });
});
