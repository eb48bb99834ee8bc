import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";
import { trimTrailingSlashes } from "../../domain/trailing-slashes.js";

/** A git command failed, or the directory is not a checkout. */
export class LocalGitError extends Error {
  override readonly name = "LocalGitError";
}

export interface LocalCommit {
  sha: string;
  message: string;
  files: string[];
  /** Committer date, ISO 8601. */
  date: string;
}

/** What the dry-run CLI reads from a local checkout, through the git CLI. */
export interface LocalGit {
  /** Tracked files (`git ls-files`). */
  listFiles(): string[];
  /** A tracked file's working-tree text; undefined when missing or unreadable. */
  readFile(path: string): string | undefined;
  /** The newest tag reachable from HEAD matching `<prefix>*`, if any. */
  latestTag(prefix: string): string | undefined;
  /** Every tag matching `<prefix>*`, reachable or not (release tags made on release branches). */
  listTags(prefix: string): string[];
  /** Commits in `<since>..HEAD` (all of HEAD's history without `since`), newest first; `since` must be a ref. */
  log(since?: string): LocalCommit[];
  /** `https://host/owner/repo` from the `origin` remote, if any. */
  remoteUrl(): string | undefined;
}

const RECORD = "\x1e";
const FIELD = "\x1f";

/** Parses `git log --format=%x1e%H%x1f%cI%x1f%B%x1f --name-only` output. */
export const parseGitLog = (output: string): LocalCommit[] =>
  output
    .split(RECORD)
    .slice(1)
    .map((record) => {
      const [sha = "", date = "", message = "", files = ""] = record.split(FIELD);
      return {
        sha,
        date,
        message: message.trim(),
        files: files.split("\n").filter((f) => f.trim() !== ""),
      };
    });

/**
 * The web address of a remote, for links: `git@github.com:o/r.git`, `ssh://git@ghe.example.com:2222/o/r.git`
 * and `https://user:token@ghe.example.com/o/r.git` → `https://<host>/o/r` (credentials and ports
 * dropped, never shown). A local path, `file://` or a path with characters no repository name has
 * (spaces, brackets, parentheses: they would end a Markdown link) gives none.
 */
export const toHttpsUrl = (remote: string): string | undefined => {
  const trimmed = trimTrailingSlashes(remote.trim()).replace(/\.git$/, "");
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(trimmed);
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+)(?::\d+)?\/(.+)$/.exec(trimmed);
  const [, host, path] = scp ?? url ?? [];
  if (host === undefined || path === undefined || !/^[\w.-]+(?:\/[\w.-]+)+$/.test(path)) return undefined;
  return `https://${host}/${path}`;
};

export const createLocalGit = (dir: string): LocalGit => {
  const git = (args: string[]): string => {
    try {
      return execFileSync("git", ["-c", "core.quotePath=false", ...args], {
        cwd: dir,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr;
      const first = typeof stderr === "string" ? stderr.trim().split("\n")[0] : undefined;
      throw new LocalGitError(`git ${args[0]} failed in ${dir}: ${first || (error as Error).message}`);
    }
  };
  const tryGit = (args: string[]): string | undefined => {
    try {
      return git(args).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  // Fails early, with git's own reason, when dir is not a checkout.
  git(["rev-parse", "--is-inside-work-tree"]);
  return {
    listFiles: () =>
      git(["ls-files", "-z"])
        .split("\0")
        .filter((p) => p !== ""),
    readFile(path) {
      const clean = normalize(path);
      if (isAbsolute(clean) || clean.startsWith("..")) return undefined;
      try {
        return readFileSync(join(dir, clean), "utf8");
      } catch {
        return undefined;
      }
    },
    listTags: (prefix) =>
      git(["tag", "--list", `${prefix}*`])
        .split("\n")
        .filter((t) => t.trim() !== ""),
    latestTag: (prefix) => tryGit(["describe", "--tags", "--match", `${prefix}*`, "--abbrev=0", "HEAD"]),
    log(since) {
      const range = since === undefined ? ["HEAD"] : [`${since}..HEAD`];
      if (tryGit(["rev-parse", "--verify", "--quiet", "HEAD"]) === undefined) return [];
      return parseGitLog(
        git([
          "log",
          "--no-renames",
          `--format=${RECORD}%H${FIELD}%cI${FIELD}%B${FIELD}`,
          "--name-only",
          ...range,
          "--",
        ]),
      );
    },
    remoteUrl() {
      const remote = tryGit(["remote", "get-url", "origin"]);
      return remote === undefined ? undefined : toHttpsUrl(remote);
    },
  };
};
