import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mkdirSync } from "node:fs";

export const MONOREPO = join(import.meta.dirname, "../fixtures/release/monorepo");

/** A throwaway git checkout of the fixture monorepo (or of nothing), with helpers to commit and tag. */
export const createTempRepo = (fixture: string | null = MONOREPO) => {
  const dir = mkdtempSync(join(tmpdir(), "release-pilot-cli-"));
  if (fixture !== null) cpSync(fixture, dir, { recursive: true });
  let clock = Date.parse("2025-01-01T12:00:00Z");
  const git = (args: string[], date?: string) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Test",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_COMMITTER_NAME: "Test",
        GIT_COMMITTER_EMAIL: "test@example.com",
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
        GIT_CONFIG_NOSYSTEM: "1",
        HOME: dir,
      },
    });
  const commit = (message: string, files: Record<string, string> = {}, date?: string) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    clock += 3600_000;
    git(["add", "-A"]);
    git(["commit", "-q", "--allow-empty", "-m", message], date ?? new Date(clock).toISOString());
  };
  git(["init", "-q", "-b", "main"]);
  commit("chore: initial import");
  return { dir, git, commit, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};
