import { createHash } from "node:crypto";
import type { TreeSnapshot } from "../../../src/domain/release/release-plan.js";
import type { FilesWanted } from "../../../src/domain/release/release-reads.js";
import type { FileAt, FileChanges, GitData, MergeResult } from "../../../src/ports/git-data.js";
import type { Issues } from "../../../src/ports/issues.js";
import type { PullRef, Pulls } from "../../../src/ports/pulls.js";
import type { ReleaseRecord, Releases } from "../../../src/ports/releases.js";
import type { Workflows } from "../../../src/ports/workflows.js";

/** Every call the ship use-cases make, by capability. */
type ShipCalls = Pick<
  GitData,
  | "webUrl"
  | "getTagCommit"
  | "createAnnotatedTag"
  | "listTags"
  | "getBranchHead"
  | "createBranch"
  | "advanceBranch"
  | "snapshotTree"
  | "readFilesAt"
  | "readFile"
  | "createCommit"
  | "compare"
  | "mergeInto"
> &
  Pick<Pulls, "findOpenPull" | "createPull" | "updatePullBody"> &
  Pick<Releases, "findRelease" | "createRelease" | "updateRelease"> &
  Pick<Workflows, "findWorkflowRun" | "dispatchWorkflow"> &
  Pick<
    Issues,
    | "addLabels"
    | "findComment"
    | "postComment"
    | "updateComment"
    | "getIssue"
    | "closeIssue"
    | "findIssueLinking"
  >;

/** An in-memory repository host for the ship use-cases: state to seed, every write recorded. */
export class FakeShipGitHub implements ShipCalls {
  readonly webUrl = "https://github.com/o/r";
  tags = new Map<string, { commit: string; message?: string }>();
  branches = new Map<string, string>();
  files = new Map<string, Record<string, string>>();
  releases: (ReleaseRecord & { target: string; name: string; prerelease: boolean })[] = [];
  runs: {
    id: number;
    url: string;
    workflow: string;
    sha: string;
    ref: string;
    inputs: Record<string, string>;
  }[] = [];
  pulls: {
    number: number;
    url: string;
    head: string;
    base: string;
    title: string;
    body: string;
    open: boolean;
  }[] = [];
  comments: { id: number; issue: number; body: string }[] = [];
  issues = new Map<number, { state: "open" | "closed"; title: string; isPull: boolean }>();
  commits: { sha: string; parent: string; message: string; files: Map<string, string | null> }[] = [];
  writes: string[] = [];
  mergeAnswer: MergeResult = { kind: "merged", sha: "m3rge" };
  compareAnswer = (base: string, head: string) => ({
    aheadBy: 1,
    authors: ["alice"],
    files: [`${head}-vs-${base}.txt`],
  });
  /** Throws once from the named method, to simulate a failure part-way. */
  failOnce = new Set<keyof ShipCalls>();
  private next = 100;
  private backMerged = false;

  /** The fake as each capability port the use-cases take (one object behind all of them). */
  get ports() {
    return { git: this, pulls: this, releases: this, issues: this, workflows: this };
  }

  private maybeFail(name: keyof ShipCalls) {
    if (this.failOnce.delete(name)) throw Object.assign(new Error(`${name} failed`), { status: 502 });
  }

  async getTagCommit(tag: string) {
    return this.tags.get(tag)?.commit;
  }
  async createAnnotatedTag(tag: string, message: string, commit: string) {
    this.maybeFail("createAnnotatedTag");
    if (this.tags.has(tag)) return "exists" as const;
    this.writes.push(`tag ${tag}`);
    this.tags.set(tag, { commit, message });
    return "created" as const;
  }
  async listTags(prefix: string) {
    return [...this.tags.keys()].filter((t) => t.startsWith(prefix));
  }
  async getBranchHead(branch: string) {
    const sha = this.branches.get(branch);
    return sha ? { sha, treeSha: `tree-${sha}` } : undefined;
  }
  async createBranch(name: string, sha: string) {
    if (this.branches.has(name)) return "exists" as const;
    this.writes.push(`branch ${name}`);
    this.branches.set(name, sha);
    return "created" as const;
  }
  async advanceBranch(name: string, sha: string) {
    const commit = this.commits.find((c) => c.sha === sha);
    if (commit?.parent !== this.branches.get(name)) return "moved" as const;
    this.writes.push(`advance ${name}`);
    this.branches.set(name, sha);
    return "updated" as const;
  }
  /** The paths whose text was read, as `ref:path` (`tree:path` through snapshotTree). */
  read: string[] = [];
  /** Files (by path) the host holds as binary: listed, never read as text. */
  binary = new Set<string>();
  /** A tree listed (`unwalked`: what a bound of the listing left, as the GitHub adapter reports it). */
  unwalked: string[] | undefined;
  private filesAt(ref: string): Record<string, string> {
    const name = ref.replace(/^refs\/tags\//, "");
    const sha = this.branches.get(name) ?? this.tags.get(name)?.commit ?? ref.replace(/^tree-/, "");
    return this.files.get(sha) ?? {};
  }
  /** As the GitHub adapter: every path listed, only the picked files read, until nothing new is picked. */
  async snapshotTree(tree: string, wanted: FilesWanted) {
    const files = this.filesAt(tree);
    const paths = Object.keys(files);
    const texts = new Map<string, string | undefined>();
    for (;;) {
      const missing = wanted.pick(paths, (p) => texts.get(p)).filter((p) => !texts.has(p));
      if (missing.length === 0) break;
      for (const p of missing) {
        this.read.push(`tree:${p}`);
        texts.set(p, this.binary.has(p) ? undefined : files[p]);
      }
    }
    const snapshot: TreeSnapshot = { list: () => paths, read: (p) => texts.get(p) };
    return this.unwalked ? { ...snapshot, unwalked: this.unwalked } : snapshot;
  }
  async readFilesAt(refs: readonly string[], paths: readonly string[]) {
    return refs.map((ref) => {
      const files = this.filesAt(ref);
      return new Map<string, FileAt | undefined>(
        paths.map((p) => {
          const text = files[p];
          if (text === undefined) return [p, undefined];
          this.read.push(`${ref}:${p}`);
          const oid = createHash("sha1").update(text).digest("hex");
          return [p, this.binary.has(p) ? { oid, unreadable: "binary" } : { oid, text }];
        }),
      );
    });
  }
  async readFile(ref: string, path: string) {
    return this.filesAt(ref)[path];
  }
  async createCommit(parent: { sha: string }, message: string, files: FileChanges) {
    const sha = `c${++this.next}`;
    this.commits.push({ sha, parent: parent.sha, message, files: new Map(files) });
    return sha;
  }
  async compare(base: string, head: string) {
    // Once main was merged into develop, develop has everything main has.
    if (this.backMerged && base === "develop") return { aheadBy: 0, authors: [], files: [] };
    return this.compareAnswer(base, head);
  }
  async mergeInto(base: string, head: string) {
    this.maybeFail("mergeInto");
    if (this.mergeAnswer.kind === "merged") {
      this.writes.push(`merge ${head} into ${base}`);
      this.backMerged = true;
    }
    return this.mergeAnswer;
  }
  async findRelease(tag: string) {
    return this.releases.find((r) => r.tag === tag);
  }
  async createRelease(input: {
    tag: string;
    target: string;
    name: string;
    body: string;
    draft: boolean;
    prerelease: boolean;
  }) {
    this.maybeFail("createRelease");
    this.writes.push(`release ${input.tag}`);
    const r = { id: ++this.next, url: `${this.webUrl}/releases/${input.tag}`, ...input };
    this.releases.push(r);
    return r;
  }
  async updateRelease(id: number, input: { body?: string; draft?: boolean }) {
    const r = this.releases.find((x) => x.id === id)!;
    this.writes.push(`update release ${r.tag}${input.draft === false ? " (publish)" : ""}`);
    Object.assign(r, input);
    return r;
  }
  async findWorkflowRun(workflow: string, sha: string) {
    return this.runs.find((r) => r.workflow === workflow && r.sha === sha);
  }
  async dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>) {
    this.writes.push(`dispatch ${workflow}@${ref}`);
    const id = ++this.next;
    const run = {
      id,
      url: `${this.webUrl}/actions/runs/${id}`,
      workflow,
      ref,
      inputs,
      sha: this.tags.get(ref)?.commit ?? ref,
    };
    this.runs.push(run);
    return run;
  }
  async findOpenPull(head: string, base: string): Promise<PullRef | undefined> {
    return this.pulls.find((p) => p.open && p.head === head && p.base === base);
  }
  async createPull(input: { head: string; base: string; title: string; body: string }) {
    if (await this.findOpenPull(input.head, input.base)) return "exists" as const;
    this.writes.push(`pull ${input.head}->${input.base}`);
    const number = ++this.next;
    const p = { number, url: `${this.webUrl}/pull/${number}`, open: true, ...input };
    this.pulls.push(p);
    return p;
  }
  async updatePullBody(number: number, body: string) {
    this.writes.push(`pull body #${number}`);
    const p = this.pulls.find((x) => x.number === number);
    if (p) p.body = body;
  }
  async addLabels(number: number, labels: readonly string[]) {
    this.writes.push(`labels #${number} ${labels.join(",")}`);
  }
  async findComment(issue: number, marker: string) {
    const c = this.comments.find((x) => x.issue === issue && x.body.includes(marker));
    return c ? { id: c.id, url: `#${c.id}`, body: c.body } : undefined;
  }
  async postComment(issue: number, body: string) {
    this.maybeFail("postComment");
    this.writes.push(`comment #${issue}`);
    const id = ++this.next;
    this.comments.push({ id, issue, body });
    return { id, url: `#${id}` };
  }
  async updateComment(id: number, body: string) {
    this.maybeFail("updateComment");
    this.writes.push(`edit comment ${id}`);
    const c = this.comments.find((x) => x.id === id);
    if (c) c.body = body;
  }
  async getIssue(number: number) {
    this.maybeFail("getIssue");
    return this.issues.get(number);
  }
  async closeIssue(number: number) {
    this.maybeFail("closeIssue");
    this.writes.push(`close #${number}`);
    this.issues.get(number)!.state = "closed";
  }
  async findIssueLinking(pullUrl: string) {
    return this.comments.find((c) => c.body.includes(pullUrl))?.issue;
  }
}
