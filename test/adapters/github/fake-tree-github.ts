import { createHash } from "node:crypto";
import type { Octokit } from "../../../src/adapters/github/octokit.js";

type Node =
  | { kind: "tree"; oid: string; entries: Map<string, Node> }
  | { kind: "blob"; oid: string; text: string | null; size: number };

/** A file of the fake tree: its text, or a size alone (a large or binary file, never read). */
export type FakeFile = string | { size: number };

const oidOf = (kind: string, key: string) => createHash("sha1").update(`${kind}\0${key}`).digest("hex");

/**
 * A GitHub answering the GraphQL the tree walk and the blob reads send, from files in memory:
 * `object(oid:)` and `object(expression: "<tree>:<dir>")` as a Tree whose `entries { name type
 * oid size object { ... on Tree { entries … } } }` are nested as deep as the query asks, and
 * `object(oid:)` as a Blob (`text byteSize isTruncated`), as
 * https://docs.github.com/en/graphql/reference/objects#tree, #treeentry and #blob describe them.
 * Counts requests, entries answered and blobs read, for assertions on what a reader costs.
 */
export const fakeTreeGitHub = (files: Readonly<Record<string, FakeFile>>) => {
  const byOid = new Map<string, Node>();
  const root: Node = { kind: "tree", oid: "", entries: new Map() };
  for (const [path, file] of Object.entries(files)) {
    const parts = path.split("/");
    let dir = root;
    for (const [i, name] of parts.slice(0, -1).entries()) {
      let next = dir.entries.get(name);
      if (next === undefined) {
        next = { kind: "tree", oid: oidOf("tree", parts.slice(0, i + 1).join("/")), entries: new Map() };
        dir.entries.set(name, next);
      }
      if (next.kind !== "tree") throw new Error(`${path}: a file is in the way`);
      dir = next;
    }
    const blob: Node =
      typeof file === "string"
        ? { kind: "blob", oid: oidOf("blob", path), text: file, size: Buffer.byteLength(file) }
        : { kind: "blob", oid: oidOf("blob", path), text: null, size: file.size };
    dir.entries.set(parts.at(-1)!, blob);
    byOid.set(blob.oid, blob);
  }
  const index = (node: Node) => {
    byOid.set(node.oid, node);
    if (node.kind === "tree") for (const child of node.entries.values()) index(child);
  };
  root.oid = oidOf("tree", "");
  index(root);

  const stats = { requests: 0, walkRequests: 0, entriesAnswered: 0, blobsRead: [] as string[] };
  const listing = (node: Node & { kind: "tree" }, levels: number): unknown[] =>
    [...node.entries].map(([name, child]) => {
      stats.entriesAnswered++;
      const entry = { name, type: child.kind, oid: child.oid, size: child.kind === "blob" ? child.size : 0 };
      if (levels <= 1) return entry;
      return { ...entry, object: child.kind === "tree" ? { entries: listing(child, levels - 1) } : {} };
    });
  const resolve = (arg: string): Node | undefined => {
    const colon = arg.indexOf(":");
    if (colon < 0) return byOid.get(arg);
    let node = byOid.get(arg.slice(0, colon));
    for (const name of arg
      .slice(colon + 1)
      .split("/")
      .filter(Boolean))
      node = node?.kind === "tree" ? node.entries.get(name) : undefined;
    return node;
  };
  const graphql = (query: string, variables: Record<string, string>) => {
    stats.requests++;
    const repository: Record<string, unknown> = {};
    const trees = Object.keys(variables).filter((k) => /^t\d+$/.test(k));
    if (trees.length > 0) stats.walkRequests++;
    for (const key of trees) {
      // The nesting this alias asks: the `entries` between it and the next alias.
      const start = query.indexOf(`${key}: object(`);
      const next = query.slice(start + key.length).search(/\bt\d+: object\(/);
      const field = next < 0 ? query.slice(start) : query.slice(start, start + key.length + next);
      // Every object here is a Tree: only the `... on Tree` selection counts (a root asked by
      // oid also has a `... on Commit { tree { … } }` one, for a commit SHA).
      const levels = (field.split("... on Commit")[0] ?? "").split("entries {").length - 1;
      const node = resolve(variables[key]!);
      repository[key] = node?.kind === "tree" ? { entries: listing(node, levels) } : node ? {} : null;
    }
    for (const key of Object.keys(variables).filter((k) => /^b\d+$/.test(k))) {
      const node = byOid.get(variables[key]!);
      stats.blobsRead.push(variables[key]!);
      repository[key] =
        node?.kind === "blob" ? { text: node.text, byteSize: node.size, isTruncated: false } : null;
    }
    return Promise.resolve({ repository });
  };
  const octokit = {
    graphql,
    rest: { git: { getTree: () => Promise.reject(new Error("the tree is walked with GraphQL")) } },
  } as unknown as Octokit;
  /** The path of a blob by its oid. */
  const pathOf = new Map(Object.keys(files).map((p) => [oidOf("blob", p), p]));
  return { octokit, tree: root.oid, stats, pathOf };
};
