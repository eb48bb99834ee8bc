// Seeding and acting like people: every action goes through the same code as the API and emits
import { noreplyEmail } from "./payloads.js";
// the webhooks GitHub would. Readers return plain data for assertions.
import { randomBytes } from "node:crypto";
import { emitIssueEvent, writeRef, type Scope } from "./events.js";
import { GitStore, type TreeEdit } from "./git-store.js";
import {
  addLabels,
  createComment,
  createIssue,
  editComment as editCommentOp,
  issueOf,
} from "./routes/issues.js";
import {
  dismissReview as dismissReviewOp,
  mergePull,
  openPull,
  pullOf,
  submitReview,
} from "./routes/pulls.js";
import {
  ensureUser,
  repoKey,
  type Comment,
  type Issue,
  type PermissionLevel,
  type Repo,
  type Ruleset,
  type RulesetRule,
  type World,
} from "./state.js";
import type { Emitter } from "./webhooks.js";
import type { Reply } from "./router.js";

export interface SeedCommit {
  branch: string;
  message: string;
  files: Record<string, string | null>;
  author?: string;
  date?: string;
}

export interface CreateRepoOptions {
  owner: string;
  name: string;
  defaultBranch?: string;
  /** One commit per branch with these files; other branches start from the default branch. */
  branches?: Record<string, Record<string, string>>;
  /** Or a history, applied in order; a new branch starts from the default branch's tip. */
  history?: SeedCommit[];
}

/** "owner/name" */
export type RepoName = string;

export class Actors implements Scope {
  constructor(
    readonly world: World,
    readonly hooks: Emitter,
  ) {}

  protected repo(name: RepoName): Repo {
    const [owner, repo] = name.split("/");
    const found = this.world.repos.get(repoKey(owner ?? "", repo ?? ""));
    if (!found) throw new Error(`sandbox has no repository ${name}`);
    return found;
  }

  protected user(login: string) {
    return ensureUser(this.world, login);
  }

  async createRepo(options: CreateRepoOptions): Promise<RepoName> {
    const owner = ensureUser(this.world, options.owner, "Organization");
    const defaultBranch =
      options.defaultBranch ?? (options.branches ? Object.keys(options.branches)[0] : undefined) ?? "main";
    const now = this.world.now();
    const repo: Repo = {
      id: this.world.nextId(),
      owner,
      name: options.name,
      defaultBranch,
      git: await GitStore.create(this.world.root, this.world.gitRunner),
      createdAt: now,
      pushedAt: now,
      nextNumber: 1,
      issues: new Map(),
      comments: new Map(),
      labels: new Map(),
      reviews: [],
      permissions: new Map(),
      protections: new Map(),
      rulesets: [],
      checkSuites: [],
      checkRuns: [],
      statuses: [],
      releases: [],
      deployments: [],
      workflows: new Map(),
      workflowRuns: [],
      artifacts: [],
      codeScanning: [],
      dependabot: [],
    };
    this.world.repos.set(repoKey(owner.login, options.name), repo);
    const history: SeedCommit[] = options.history ?? [];
    if (options.branches) {
      const ordered = Object.entries(options.branches).sort(
        ([a], [b]) => Number(b === defaultBranch) - Number(a === defaultBranch),
      );
      for (const [branch, files] of ordered) history.push({ branch, message: `Initial ${branch}`, files });
    }
    for (const c of history)
      await this.commitFiles(repo, c.branch, c.message, c.files, c.author ?? owner.login, c.date, false);
    return `${owner.login}/${options.name}`;
  }

  /** Write a commit on a branch (created from the default branch if missing). */
  private async commitFiles(
    repo: Repo,
    branch: string,
    message: string,
    files: Record<string, string | null>,
    author: string,
    date: string | undefined,
    notify: boolean,
  ): Promise<string> {
    const ref = `refs/heads/${branch}`;
    const parent =
      (await repo.git.readRef(ref)) ?? (await repo.git.readRef(`refs/heads/${repo.defaultBranch}`));
    const base = parent ? (await repo.git.readCommit(parent)).tree : undefined;
    const edits = new Map<string, TreeEdit>();
    for (const [path, content] of Object.entries(files)) {
      edits.set(path, content === null ? null : { mode: "100644", sha: await repo.git.hashBlob(content) });
    }
    const tree = await repo.git.buildTree(base, edits);
    const user = this.user(author);
    const person = {
      name: user.login,
      email: noreplyEmail(user),
      date: date ?? this.world.now(),
    };
    const sha = await repo.git.commitTree(tree, parent ? [parent] : [], message, person);
    if (notify) await writeRef(this, repo, user, ref, sha);
    else await repo.git.updateRef(ref, sha);
    return sha;
  }

  /**
   * Appends many commits to a branch in one `git fast-import` run (https://git-scm.com/docs/git-fast-import),
   * oldest first, each setting its files; no webhook is sent, as for a history pushed by a mirror.
   * For long histories in tests (a thousand commits in well under a second); returns the new head.
   */
  async appendHistory(
    repo: RepoName,
    branch: string,
    commits: readonly { message: string; files: Record<string, string> }[],
    author = "developer",
  ): Promise<string> {
    const r = this.repo(repo);
    const ref = `refs/heads/${branch}`;
    const parent = await r.git.readRef(ref);
    const user = this.user(author);
    const who = `${user.login} <${noreplyEmail(user)}>`;
    const start = Math.floor(Date.parse(this.world.now()) / 1000);
    const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
    const stream = commits.map(
      (c, i) =>
        `commit ${ref}\ncommitter ${who} ${start + i} +0000\n${data(c.message)}` +
        (i === 0 && parent ? `from ${parent}\n` : "") +
        Object.entries(c.files)
          .map(([path, text]) => `M 100644 inline ${path}\n${data(text)}`)
          .join(""),
    );
    await r.git.git(["fast-import", "--quiet", "--done"], `${stream.join("\n")}\ndone\n`);
    const head = await r.git.readRef(ref);
    if (head === undefined) throw new Error(`appendHistory: ${ref} was not written`);
    return head;
  }

  /**
   * A personal access token of `login`: requests made with it act as that person (what it
   * creates carries them as `creator`, with no `performed_via_github_app`), as on GitHub.
   */
  personalToken(login: string): string {
    const token = `ghp_${randomBytes(18).toString("hex")}`;
    this.world.personalTokens.set(token, this.user(login));
    return token;
  }

  setPermission(repo: RepoName, user: string, level: PermissionLevel): void {
    this.repo(repo).permissions.set(this.user(user).login.toLowerCase(), level);
  }

  addTeamMember(org: string, team: string, user: string): void {
    const key = `${org}/${team}`.toLowerCase();
    const members = this.world.teams.get(key) ?? new Set<string>();
    members.add(this.user(user).login.toLowerCase());
    this.world.teams.set(key, members);
  }

  protectBranch(
    repo: RepoName,
    branch: string,
    rules: { requiredChecks: string[]; requiredApprovals?: number },
  ): void {
    this.repo(repo).protections.set(branch, {
      requiredChecks: [...rules.requiredChecks],
      ...(rules.requiredApprovals ? { requiredApprovals: rules.requiredApprovals } : {}),
    });
  }

  /**
   * A repository ruleset as an admin creates it in Settings → Rules → Rulesets (rulesets.ts);
   * `bypassApp` puts the App in its bypass list. Returns the ruleset's id.
   */
  addRuleset(
    repo: RepoName,
    ruleset: {
      name: string;
      target?: "branch" | "tag";
      enforcement?: Ruleset["enforcement"];
      include: string[];
      exclude?: string[];
      rules: RulesetRule[];
      bypassApp?: boolean;
    },
  ): number {
    const id = this.world.nextId();
    this.repo(repo).rulesets.push({
      id,
      name: ruleset.name,
      target: ruleset.target ?? "branch",
      enforcement: ruleset.enforcement ?? "active",
      include: [...ruleset.include],
      exclude: [...(ruleset.exclude ?? [])],
      rules: ruleset.rules.map((r) => ({ ...r })),
      appBypasses: ruleset.bypassApp ?? false,
    });
    return id;
  }

  async openIssue(
    repo: RepoName,
    user: string,
    input: { title: string; body?: string; labels?: string[] },
  ): Promise<number> {
    return (await createIssue(this, this.repo(repo), this.user(user), input)).number;
  }

  comment(repo: RepoName, number: number, user: string, body: string): number {
    const r = this.repo(repo);
    return createComment(this, r, issueOf(r, number), this.user(user), body).id;
  }

  editComment(repo: RepoName, commentId: number, user: string, body: string): void {
    const r = this.repo(repo);
    const comment = r.comments.get(commentId);
    if (!comment) throw new Error(`no comment ${commentId}`);
    editCommentOp(this, r, comment, this.user(user), body);
  }

  async label(repo: RepoName, number: number, user: string, label: string): Promise<void> {
    const r = this.repo(repo);
    await addLabels(this, r, issueOf(r, number), this.user(user), [label]);
  }

  async openPullRequest(
    repo: RepoName,
    user: string,
    input: { head: string; base: string; title: string; body?: string },
  ): Promise<number> {
    return (await openPull(this, this.repo(repo), this.user(user), input)).number;
  }

  /** A person pushes one commit (→ push, create for a new branch, pull_request.synchronize). */
  async pushCommit(
    repo: RepoName,
    user: string,
    branch: string,
    message: string,
    files: Record<string, string | null>,
  ): Promise<string> {
    return this.commitFiles(this.repo(repo), branch, message, files, user, undefined, true);
  }

  async review(
    repo: RepoName,
    number: number,
    user: string,
    event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT",
    body = "",
  ): Promise<void> {
    const r = this.repo(repo);
    await submitReview(this, r, pullOf(r, number), this.user(user), event, body);
  }

  /** A person dismisses someone's review on github.com (→ pull_request_review.dismissed). */
  async dismissReview(repo: RepoName, number: number, user: string, reviewer: string): Promise<void> {
    const r = this.repo(repo);
    const issue = pullOf(r, number);
    const review = r.reviews.findLast((x) => x.pullNumber === number && x.user.login === reviewer);
    if (!review) throw new Error(`no review by ${reviewer} on #${number}`);
    await dismissReviewOp(this, r, issue, review, this.user(user));
  }

  /** A person edits a PR's description on github.com (→ pull_request.edited). */
  async editPullRequestBody(repo: RepoName, number: number, user: string, body: string): Promise<void> {
    const r = this.repo(repo);
    const issue = pullOf(r, number);
    if (issue.body === body) return;
    const changes = { body: { from: issue.body ?? "" } }; // changes.body.from is a string in webhooks
    issue.body = body;
    issue.updatedAt = this.world.now();
    await emitIssueEvent(this, r, this.user(user), issue, "edited", { changes });
  }

  /** Merge as a person, under the same rules as the API; returns the merge commit SHA. */
  async mergePullRequest(
    repo: RepoName,
    number: number,
    user: string,
    method: "merge" | "squash" | "rebase" = "merge",
  ): Promise<string> {
    const r = this.repo(repo);
    return mergePull(this, r, pullOf(r, number), this.user(user), { method });
  }

  // ---- readers ----

  async getFile(repo: RepoName, ref: string, path: string): Promise<string | undefined> {
    const r = this.repo(repo);
    const sha =
      (await r.git.resolve(`refs/heads/${ref}`)) ??
      (await r.git.resolve(`refs/tags/${ref}`)) ??
      (await r.git.resolve(ref));
    if (!sha) return undefined;
    const found = await r.git.lookup(sha, path);
    return found?.type === "blob" ? (await r.git.readBlob(found.sha)).toString("utf8") : undefined;
  }

  /** SHA a ref points at ("heads/main", "tags/v1.0.0", "refs/...", or a branch name). */
  async getRef(repo: RepoName, ref: string): Promise<string | undefined> {
    const r = this.repo(repo);
    const full = ref.startsWith("refs/")
      ? ref
      : ref.startsWith("heads/") || ref.startsWith("tags/")
        ? `refs/${ref}`
        : `refs/heads/${ref}`;
    return r.git.readRef(full);
  }

  async listTags(repo: RepoName): Promise<string[]> {
    return (await this.repo(repo).git.listRefs("refs/tags/")).map((t) => t.ref.slice("refs/tags/".length));
  }

  /** A tag: the commit it points at, and the annotated tag object when there is one. */
  async getTag(
    repo: RepoName,
    tag: string,
  ): Promise<{ commit: string; annotated?: { tag: string; message: string; tagger: string } } | undefined> {
    const r = this.repo(repo);
    const target = await r.git.readRef(`refs/tags/${tag}`);
    if (!target) return undefined;
    const commit = (await r.git.resolve(target))!;
    if ((await r.git.objectType(target)) !== "tag") return { commit };
    const t = await r.git.readTag(target);
    return { commit, annotated: { tag: t.tag, message: t.message, tagger: t.tagger.name } };
  }

  async commits(
    repo: RepoName,
    branch: string,
  ): Promise<{ sha: string; message: string; parents: string[] }[]> {
    const r = this.repo(repo);
    const shas = await r.git.revList([`refs/heads/${branch}`]);
    return Promise.all(
      shas.map(async (sha) => {
        const c = await r.git.readCommit(sha);
        return { sha, message: c.message.replace(/\n$/, ""), parents: c.parents };
      }),
    );
  }

  pulls(repo: RepoName): Issue[] {
    return [...this.repo(repo).issues.values()].filter((i) => i.pull);
  }

  issue(repo: RepoName, number: number): Issue & { comments: Comment[] } {
    const r = this.repo(repo);
    const issue = issueOf(r, number);
    return { ...issue, comments: [...r.comments.values()].filter((c) => c.issueNumber === number) };
  }

  serveArtifact(path: string): Reply {
    const id = Number(
      path
        .split("/")
        .at(-1)
        ?.replace(/\.zip$/, ""),
    );
    for (const repo of this.world.repos.values()) {
      const artifact = repo.artifacts.find((a) => a.id === id);
      if (artifact) return { status: 200, raw: artifact.zip };
    }
    return { status: 404, body: { message: "Not Found" } };
  }
}
