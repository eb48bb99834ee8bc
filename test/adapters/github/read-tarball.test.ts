import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTarball } from "../../../src/adapters/github/read-tarball.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "a",
      GIT_AUTHOR_EMAIL: "a@x",
      GIT_COMMITTER_NAME: "a",
      GIT_COMMITTER_EMAIL: "a@x",
    },
  });

describe("readTarball", () => {
  it("reads the files of a git archive, long paths included, with the top folder stripped", () => {
    const dir = mkdtempSync(join(tmpdir(), "tarball-"));
    try {
      git(dir, "init", "-q");
      const deep = `${"very-long-directory-name/".repeat(6)}__init__.py`;
      execFileSync("mkdir", ["-p", join(dir, deep, "..")]);
      execFileSync("sh", [
        "-c",
        `printf '__version__ = "1.0.0"\\n' > '${join(dir, deep)}' && printf 'x' > '${join(dir, "README.md")}'`,
      ]);
      git(dir, "add", ".");
      git(dir, "commit", "-qm", "init");
      const sha = git(dir, "rev-parse", "HEAD").toString().trim();
      const archive = git(dir, "archive", "--format=tar.gz", `--prefix=o-r-${sha.slice(0, 7)}/`, "HEAD");
      const { files, commitSha } = readTarball(archive);
      expect(commitSha).toBe(sha);
      expect(files.map((f) => f.path).sort()).toEqual([deep, "README.md"].sort());
      expect(files.find((f) => f.path === deep)?.content.toString()).toBe('__version__ = "1.0.0"\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
