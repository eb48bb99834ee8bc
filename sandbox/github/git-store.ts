// A bare git repository driven through plumbing, so SHAs, trees, merges and compares are real.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitRunner } from "./git-runner.js";

export interface GitPerson {
  name: string;
  email: string;
  date: string; // ISO 8601
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
  path: string;
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
}

export interface TagObject {
  sha: string;
  object: string;
  type: string;
  tag: string;
  tagger: GitPerson;
  message: string;
}

/** A staged edit for buildTree: a new blob, an existing object, or a deletion (null). */
export type TreeEdit = { mode: string; sha: string } | null;

export class GitError extends Error {
  code = 0;
}

function parsePerson(line: string): GitPerson {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!m) return { name: line, email: "", date: new Date(0).toISOString() };
  return {
    name: m[1]!,
    email: m[2]!,
    date: new Date(Number(m[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

function formatPerson(p: GitPerson): string {
  return `${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
}

const SHA = /^[0-9a-f]{40}$/;

export class GitStore {
  // Objects are immutable by SHA, so reads of them are memoised (each git call costs a spawn).
  private readonly memo = new Map<string, Promise<unknown>>();

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.memo.get(key);
    if (hit) return hit as Promise<T>;
    const promise = load();
    this.memo.set(key, promise);
    promise.catch(() => this.memo.delete(key));
    return promise;
  }

  private constructor(
    readonly dir: string,
    private readonly home: string,
    private readonly runner: GitRunner,
  ) {}

  static async create(root: string, runner: GitRunner): Promise<GitStore> {
    const dir = await mkdtemp(join(root, "repo-"));
    const store = new GitStore(dir, root, runner);
    await store.git(["init", "--bare", "--quiet", dir], undefined, root);
    return store;
  }

  static async tempRoot(): Promise<string> {
    return mkdtemp(join(tmpdir(), "gh-sandbox-"));
  }

  static async removeRoot(root: string): Promise<void> {
    await rm(root, { recursive: true, force: true });
  }

  async git(
    args: string[],
    input?: string | Buffer,
    cwd = this.dir,
    env: Record<string, string> = {},
  ): Promise<Buffer> {
    const reply = await this.runner.run(args, input, cwd, {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      LANG: "C",
      ...env,
    });
    if (reply.code !== 0) {
      const err = new GitError(`git ${args.join(" ")}: ${reply.stderr.trim() || reply.message}`);
      err.code = reply.code;
      throw err;
    }
    return Buffer.from(reply.stdout);
  }

  private async text(args: string[], input?: string | Buffer, env?: Record<string, string>): Promise<string> {
    return (await this.git(args, input, this.dir, env)).toString("utf8").trim();
  }

  async hashBlob(content: Buffer | string): Promise<string> {
    const sha = await this.text(["hash-object", "-w", "--stdin"], content);
    this.memo.set(`t:${sha}`, Promise.resolve("blob"));
    return sha;
  }

  async objectType(sha: string): Promise<string | undefined> {
    if (!SHA.test(sha)) return undefined;
    try {
      return await this.cached(`t:${sha}`, () => this.text(["cat-file", "-t", sha]));
    } catch {
      return undefined;
    }
  }

  readBlob(sha: string): Promise<Buffer> {
    return this.cached(`b:${sha}`, () => this.git(["cat-file", "blob", sha]));
  }

  async resolve(rev: string): Promise<string | undefined> {
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    } catch {
      return undefined;
    }
  }

  async readRef(ref: string): Promise<string | undefined> {
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", ref]);
    } catch {
      return undefined;
    }
  }

  async listRefs(prefix = "refs/"): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.text(["for-each-ref", "--format=%(refname) %(objectname) %(objecttype)", prefix]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref, sha, type] = line.split(" ");
        return { ref: ref!, sha: sha!, type: type! };
      });
  }

  /** Create (old = zero), move (old = current) or force-move a ref; throws when old does not match. */
  async updateRef(ref: string, sha: string, old?: string): Promise<void> {
    await this.git(["update-ref", ref, sha, ...(old === undefined ? [] : [old])]);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.git(["update-ref", "-d", ref]);
  }

  readCommit(sha: string): Promise<CommitObject> {
    return this.cached(`c:${sha}`, () => this.loadCommit(sha));
  }

  private async loadCommit(sha: string): Promise<CommitObject> {
    const raw = (await this.git(["cat-file", "commit", sha])).toString("utf8");
    const split = raw.indexOf("\n\n");
    const header = raw.slice(0, split).split("\n");
    const commit: CommitObject = {
      sha,
      tree: "",
      parents: [],
      author: parsePerson(""),
      committer: parsePerson(""),
      message: raw.slice(split + 2),
    };
    for (const line of header) {
      const [key, ...rest] = line.split(" ");
      const value = rest.join(" ");
      if (key === "tree") commit.tree = value;
      else if (key === "parent") commit.parents.push(value);
      else if (key === "author") commit.author = parsePerson(value);
      else if (key === "committer") commit.committer = parsePerson(value);
    }
    return commit;
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    author: GitPerson,
    committer = author,
  ): Promise<string> {
    const env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: formatPerson(author).split("> ")[1]!,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: formatPerson(committer).split("> ")[1]!,
    };
    const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p])];
    const sha = await this.text(args, message, env);
    this.memo.set(`t:${sha}`, Promise.resolve("commit")); // an object's type never changes
    return sha;
  }

  /** ls-tree with sizes; `recursive` lists nested blobs and the trees that hold them. */
  lsTree(treeish: string, recursive = false): Promise<TreeEntry[]> {
    const load = (): Promise<TreeEntry[]> => this.loadTree(treeish, recursive);
    return SHA.test(treeish) ? this.cached(`l:${treeish}:${recursive}`, load) : load();
  }

  private async loadTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const out = await this.git(["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), treeish]);
    return out
      .toString("utf8")
      .split("\0")
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf("\t");
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        const entry: TreeEntry = {
          mode: mode!,
          type: type as TreeEntry["type"],
          sha: sha!,
          path: line.slice(tab + 1),
        };
        if (size !== "-") entry.size = Number(size);
        return entry;
      });
  }

  /** The object at `path` in a commit or tree, or undefined. */
  async lookup(treeish: string, path: string): Promise<{ sha: string; type: string } | undefined> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    const load = async () => {
      const sha = await this.text(["rev-parse", "--verify", "--quiet", `${treeish}:${clean}`]);
      const type = await this.objectType(sha);
      if (!type) throw new GitError(`no object ${sha}`);
      return { sha, type };
    };
    try {
      // Under a commit or tree named by SHA, a path always names the same object.
      return await (SHA.test(treeish) ? this.cached(`l:${treeish}:${clean}`, load) : load());
    } catch {
      return undefined;
    }
  }

  /** A new tree: `base` (or empty) with edits applied, through a throwaway index file. */
  async buildTree(base: string | undefined, edits: Map<string, TreeEdit>): Promise<string> {
    const index = join(this.dir, `index-${process.hrtime.bigint()}-${Math.random().toString(36).slice(2)}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      if (base) await this.git(["read-tree", base], undefined, this.dir, env);
      else await this.git(["read-tree", "--empty"], undefined, this.dir, env);
      const lines: string[] = [];
      for (const [path, edit] of edits) {
        if (edit === null) {
          lines.push(`0 ${"0".repeat(40)}\t${path}`);
        } else if (edit.mode === "040000") {
          // A whole subtree by SHA: expand it into index entries under its path.
          lines.push(`0 ${"0".repeat(40)}\t${path}`);
          for (const e of await this.lsTree(edit.sha, true)) {
            if (e.type !== "tree") lines.push(`${e.mode} ${e.sha}\t${path}/${e.path}`);
          }
        } else {
          lines.push(`${edit.mode} ${edit.sha}\t${path}`);
        }
      }
      if (lines.length > 0) {
        // Deleting a directory path means deleting every index entry under it.
        const expanded: string[] = [];
        const listed = base ? await this.lsTree(base, true) : [];
        for (const line of lines) {
          expanded.push(line);
          const [meta, path] = line.split("\t") as [string, string];
          if (meta.startsWith("0 ")) {
            for (const e of listed)
              if (e.type !== "tree" && e.path.startsWith(`${path}/`))
                expanded.push(`0 ${"0".repeat(40)}\t${e.path}`);
          }
        }
        await this.git(["update-index", "--index-info"], `${expanded.join("\n")}\n`, this.dir, env);
      }
      return await this.text(["write-tree"], undefined, env);
    } finally {
      await rm(index, { force: true });
    }
  }

  diff(from: string | undefined, to: string): Promise<FileChange[]> {
    const load = (): Promise<FileChange[]> => this.loadDiff(from, to);
    return SHA.test(to) && (!from || SHA.test(from)) ? this.cached(`d:${from}:${to}`, load) : load();
  }

  private async loadDiff(from: string | undefined, to: string): Promise<FileChange[]> {
    const base = from ?? (await this.emptyTree());
    const [raw, numstat] = await Promise.all([
      this.text(["diff-tree", "-r", "--no-renames", "--raw", "--abbrev=40", base, to]),
      this.text(["diff-tree", "-r", "--no-renames", "--numstat", base, to]),
    ]);
    const counts = new Map<string, [number, number]>();
    for (const line of numstat.split("\n").filter(Boolean)) {
      const [a, d, ...p] = line.split("\t");
      counts.set(p.join("\t"), [Number(a) || 0, Number(d) || 0]);
    }
    return raw
      .split("\n")
      .filter((l) => l.startsWith(":"))
      .map((line) => {
        const [meta, filename] = line.split("\t") as [string, string];
        const parts = meta.split(" ");
        const letter = parts[4]!;
        const status = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
        const [additions, deletions] = counts.get(filename) ?? [0, 0];
        const sha = status === "removed" ? parts[2]! : parts[3]!;
        return { filename, status, sha, additions, deletions, changes: additions + deletions };
      });
  }

  emptyTree(): Promise<string> {
    return this.cached("empty-tree", () => this.text(["hash-object", "-t", "tree", "-w", "--stdin"], ""));
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return await this.text(["merge-base", a, b]);
    } catch {
      return undefined;
    }
  }

  async revList(args: string[]): Promise<string[]> {
    const out = await this.text(["rev-list", ...args]);
    return out.split("\n").filter(Boolean);
  }

  async isAncestor(a: string, b: string): Promise<boolean> {
    try {
      await this.git(["merge-base", "--is-ancestor", a, b]);
      return true;
    } catch {
      return false;
    }
  }

  /** A three-way merge of two commits: the merged tree, or undefined on conflict. */
  async mergeTree(ours: string, theirs: string): Promise<string | undefined> {
    try {
      const out = await this.text(["merge-tree", "--write-tree", "--no-messages", ours, theirs]);
      return out.split("\n")[0];
    } catch (error) {
      if ((error as { code?: unknown }).code === 1) return undefined;
      throw error;
    }
  }

  async createTag(
    object: string,
    type: string,
    tag: string,
    message: string,
    tagger: GitPerson,
  ): Promise<string> {
    const body = `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${formatPerson(tagger)}\n\n${message}`;
    return this.text(["mktag"], body.endsWith("\n") ? body : `${body}\n`);
  }

  readTag(sha: string): Promise<TagObject> {
    return this.cached(`g:${sha}`, () => this.loadTag(sha));
  }

  private async loadTag(sha: string): Promise<TagObject> {
    const raw = (await this.git(["cat-file", "tag", sha])).toString("utf8");
    const split = raw.indexOf("\n\n");
    const tag: TagObject = {
      sha,
      object: "",
      type: "",
      tag: "",
      tagger: parsePerson(""),
      message: raw.slice(split + 2),
    };
    for (const line of raw.slice(0, split).split("\n")) {
      const [key, ...rest] = line.split(" ");
      const value = rest.join(" ");
      if (key === "object") tag.object = value;
      else if (key === "type") tag.type = value;
      else if (key === "tag") tag.tag = value;
      else if (key === "tagger") tag.tagger = parsePerson(value);
    }
    return tag;
  }
}
