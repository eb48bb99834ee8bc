import { cargoTomlUpdater } from "./cargo-toml-updater.js";
import { packageJsonUpdater } from "./package-json-updater.js";
import { baseName, splitLines } from "./version-file-updater.js";

/** A version-file edit the plan makes (path, text before and after). */
export interface ManifestEdit {
  path: string;
  before: string;
  after: string;
}

export interface LockFileEdit extends ManifestEdit {
  fromVersion: string;
}

const dirOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const join = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);

/** `dir` and each of its ancestors, nearest first, up to the repository root (""). */
const upFrom = (dir: string): string[] => {
  const dirs = [dir];
  for (let d = dir; d !== "";) {
    d = dirOf(d);
    dirs.push(d);
  }
  return dirs;
};

/** The nearest lock file named `name` at `dir` or above it. */
const nearest = (dir: string, name: string, exists: (path: string) => boolean): string | undefined =>
  upFrom(dir)
    .map((d) => join(d, name))
    .find(exists);

// ---------------------------------------------------------------------------------------------
// package-lock.json / npm-shrinkwrap.json
// ---------------------------------------------------------------------------------------------

/** Index of the closing quote of the string opening at `open`, or -1. */
const stringEnd = (text: string, open: number): number => {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return -1;
};

const MAX_DEPTH = 64;

/**
 * The spans (between the quotes) of the string values at `wanted` key paths, found by one scan
 * of the JSON text, so an edit touches only those bytes. Keys are compared decoded. A text that
 * is not JSON, or nests deeper than any lock file does, gives what was found before it.
 */
export const jsonStringSpans = (
  text: string,
  wanted: readonly (readonly string[])[],
): Map<string, { start: number; end: number; value: string }> => {
  const want = new Set(wanted.map((p) => JSON.stringify(p)));
  const found = new Map<string, { start: number; end: number; value: string }>();
  // One frame per open container: its key path, whether it is an object, the key last read.
  const stack: { path: string[]; object: boolean; key: string | undefined }[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const top = stack.at(-1);
    if (ch === "{" || ch === "[") {
      if (stack.length >= MAX_DEPTH) return found;
      const path = top === undefined ? [] : [...top.path, top.object ? (top.key ?? "") : "[]"];
      stack.push({ path, object: ch === "{", key: undefined });
      expectKey = ch === "{";
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      expectKey = false;
    } else if (ch === ",") {
      expectKey = top?.object === true;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return found;
      let decoded: string;
      try {
        decoded = JSON.parse(text.slice(i, end + 1)) as string;
      } catch {
        return found;
      }
      if (expectKey && top?.object) {
        top.key = decoded;
        expectKey = false;
      } else if (top?.object && top.key !== undefined) {
        const id = JSON.stringify([...top.path, top.key]);
        if (want.has(id) && !found.has(id)) found.set(id, { start: i + 1, end, value: decoded });
      }
      i = end;
    }
  }
  return found;
};

/**
 * npm's lock file (lockfileVersion 2 and 3, https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json):
 * the root package's version is the top-level `version` and `packages[""].version`; a workspace
 * package's is `packages["<its path from the lock's directory>"].version` (its
 * `node_modules/<name>` entry is a link with no version). Only values equal to the manifest's
 * old version are set to its new one.
 */
const editPackageLock = (text: string, rel: string, from: string, to: string): string => {
  const paths = rel === "" ? [["version"], ["packages", "", "version"]] : [["packages", rel, "version"]];
  const spans = [...jsonStringSpans(text, paths).values()]
    .filter((s) => s.value === from)
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const span of spans) out = out.slice(0, span.start) + to + out.slice(span.end);
  return out;
};

// ---------------------------------------------------------------------------------------------
// Cargo.lock
// ---------------------------------------------------------------------------------------------

const PACKAGE_NAME = /^\s*name\s*=\s*"([^"\n]*)"/;
const LOCK_VERSION = /^(\s*version\s*=\s*")([^"\n]*)(")/;

/** The `[package] name` of a Cargo manifest, if it has one. */
const crateName = (text: string): string | undefined => {
  let table = "";
  for (const line of splitLines(text)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line)?.[1];
    if (header !== undefined) table = header.trim();
    else if (table === "package") {
      const name = PACKAGE_NAME.exec(line)?.[1];
      if (name !== undefined) return name;
    }
  }
  return undefined;
};

/** A member whose `[package]` says `version.workspace = true` (the updater notes exactly that). */
const inheritsWorkspaceVersion = (text: string): boolean => (cargoTomlUpdater.notes?.(text) ?? []).length > 0;

/**
 * Cargo.lock (https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html; format
 * versions 3 and 4 alike): one `[[package]]` table per crate; the workspace's own crates are the
 * ones without a `source` (registry and git crates have one). Their `version` is set from the
 * old version to the new one; every other byte stays.
 */
const editCargoLock = (text: string, crates: ReadonlySet<string>, from: string, to: string): string => {
  const lines = splitLines(text);
  let block: { name?: string; versionLine?: number; source: boolean } | undefined;
  const edit = () => {
    const index = block?.versionLine;
    if (block?.name === undefined || index === undefined || block.source || !crates.has(block.name)) return;
    const line = lines[index] ?? "";
    const match = LOCK_VERSION.exec(line);
    if (match?.[2] === from) lines[index] = line.replace(LOCK_VERSION, `$1${to}$3`);
  };
  lines.forEach((line, index) => {
    if (/^\s*\[/.test(line)) {
      edit();
      block = /^\s*\[\[\s*package\s*\]\]/.test(line) ? { source: false } : undefined;
      return;
    }
    if (block === undefined) return;
    const name = PACKAGE_NAME.exec(line)?.[1];
    if (name !== undefined) block.name = name;
    else if (LOCK_VERSION.test(line)) block.versionLine = index;
    else if (/^\s*source\s*=/.test(line)) block.source = true;
  });
  edit();
  return lines.join("");
};

// ---------------------------------------------------------------------------------------------

/**
 * The lock files whose entries for the repository's own packages follow the manifests the
 * release bumps: `Cargo.lock` and npm's `package-lock.json`/`npm-shrinkwrap.json`, the nearest
 * one at or above each manifest. pnpm's `pnpm-lock.yaml` and Yarn's `yarn.lock` record no version
 * of the project's own packages (importers by path; Yarn Berry's `0.0.0-use.local`), so there is
 * nothing in them to follow. Only the self-version values change, byte for byte.
 */
export const planLockFiles = (
  edits: readonly (ManifestEdit & { fromVersion?: string | undefined })[],
  paths: readonly string[],
  read: (path: string) => string | undefined,
): LockFileEdit[] => {
  const exists = new Set(paths);
  const has = (path: string) => exists.has(path);
  const texts = new Map<string, { before: string; after: string; fromVersion: string }>();
  const apply = (lock: string, from: string, change: (text: string) => string) => {
    const current = texts.get(lock);
    const before = current?.before ?? read(lock);
    if (before === undefined) return;
    const after = change(current?.after ?? before);
    texts.set(lock, { before, after, fromVersion: current?.fromVersion ?? from });
  };
  for (const edit of edits) {
    const name = baseName(edit.path);
    const dir = dirOf(edit.path);
    if (name === "package.json") {
      const from = packageJsonUpdater.readVersion(edit.before);
      const to = packageJsonUpdater.readVersion(edit.after);
      if (from === undefined || to === undefined || from === to) continue;
      const lock = nearest(dir, "package-lock.json", has) ?? nearest(dir, "npm-shrinkwrap.json", has);
      if (lock === undefined) continue;
      const lockDir = dirOf(lock);
      const rel = lockDir === "" ? dir : dir.slice(lockDir.length + 1);
      apply(lock, from, (text) => editPackageLock(text, rel, from, to));
    } else if (name === "Cargo.toml") {
      const from = cargoTomlUpdater.readVersion(edit.before);
      const to = cargoTomlUpdater.readVersion(edit.after);
      if (from === undefined || to === undefined || from === to) continue;
      const crates = new Set<string>();
      const own = crateName(edit.after);
      if (own !== undefined) crates.add(own);
      // A workspace root's version reaches the members that inherit it (`version.workspace = true`).
      if (
        splitLines(edit.after).some((line) =>
          /^[ \t]*\[[ \t]*workspace[ \t]*\.[ \t]*package[ \t]*\]/.test(line),
        )
      ) {
        for (const path of paths) {
          if (baseName(path) !== "Cargo.toml" || path === edit.path) continue;
          if (dir !== "" && !path.startsWith(`${dir}/`)) continue;
          const text = read(path);
          const member = text === undefined ? undefined : crateName(text);
          if (text !== undefined && member !== undefined && inheritsWorkspaceVersion(text))
            crates.add(member);
        }
      }
      const lock = nearest(dir, "Cargo.lock", has);
      if (lock === undefined || crates.size === 0) continue;
      apply(lock, from, (text) => editCargoLock(text, crates, from, to));
    }
  }
  return [...texts]
    .filter(([, t]) => t.after !== t.before)
    .map(([path, t]) => ({ path, before: t.before, after: t.after, fromVersion: t.fromVersion }));
};
