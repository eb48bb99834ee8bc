import type { PlanCommit, TreeSnapshot } from "../../domain/release/release-plan.js";
import type {
  CommitRef,
  Comparison,
  FileAt,
  FileChanges,
  GitData,
  MergeResult,
  TouchedAsk,
} from "../../ports/git-data.js";
import { type Octokit, githubMessageOf, httpStatusOf, orAbsent } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { writeRef } from "./ref-write.js";
import { chunkCommits, dirsTouchedFields, dirsTouchedQuery, readDirsTouched } from "./dirs-touched-query.js";
import { filesAtQuery, FILES_PER_QUERY, readFilesAt } from "./files-at-query.js";
import { readFilesAtRefs } from "./files-at-refs.js";
import { type Rider, readTreeFiles } from "./read-tree-files.js";
import type { FilesWanted } from "../../domain/release/release-reads.js";

const COMPARE_PAGE = 100;
/** The most changed files GitHub lists for one comparison. */
const COMPARE_FILES_CAP = 300;
const PARALLEL_PAGES = 4;

/**
 * Refs and commits over GitHub's REST API: refs and tags (https://docs.github.com/en/rest/git/refs,
 * /git/tags), the one-commit write (/git/trees, /git/commits), contents, compare and merges, and
 * the GraphQL history query for the paths commits touched.
 */
export class GitHubGitData implements GitData {
  readonly webUrl: string;

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    webUrl = `https://github.com/${repo.owner}/${repo.repo}`,
  ) {
    this.webUrl = webUrl;
  }

  async listTags(prefix: string): Promise<string[]> {
    return this.matchingRefs(`tags/${prefix}`, "refs/tags/");
  }

  async listBranches(prefix: string): Promise<string[]> {
    return this.matchingRefs(`heads/${prefix}`, "refs/heads/");
  }

  private async matchingRefs(ref: string, strip: string): Promise<string[]> {
    const refs = await this.octokit.paginate(this.octokit.rest.git.listMatchingRefs, {
      ...this.repo,
      ref,
      per_page: 100,
    });
    return refs.map((r) => r.ref.slice(strip.length));
  }

  async getBranchHead(branch: string): Promise<CommitRef | undefined> {
    const found = await orAbsent(() => this.octokit.rest.repos.getBranch({ ...this.repo, branch }));
    return found && { sha: found.data.commit.sha, treeSha: found.data.commit.commit.tree.sha };
  }

  /**
   * The first chunk of the path lookups rides in the first blob request (one GraphQL query asks
   * both, https://docs.github.com/en/graphql/guides/forming-calls-with-graphql); further chunks,
   * for ranges longer than one chunk holds, are asked as {@link dirsTouched} asks them.
   */
  async snapshotTree(
    tree: string,
    wanted: FilesWanted,
    touched?: TouchedAsk,
  ): Promise<TreeSnapshot & { touched?: Map<string, string[]>; unwalked?: string[] }> {
    let ask: { shas: readonly string[]; dirs: readonly string[] } | undefined;
    const found = new Map<string, string[]>();
    const alsoAsk = (paths: readonly string[]): Rider | undefined => {
      ask = touched?.(paths);
      if (!ask || ask.shas.length === 0 || ask.dirs.length === 0) return undefined;
      const [first = [], ...rest] = chunkCommits(ask.shas, ask.dirs.length);
      const dirs = ask.dirs;
      ask = { shas: rest.flat(), dirs };
      return {
        part: dirsTouchedFields(first, dirs),
        read: (data) => {
          for (const [sha, under] of readDirsTouched(data, first, dirs)) found.set(sha, under);
        },
      };
    };
    const snapshot = await readTreeFiles(this.octokit, this.repo, tree, wanted, alsoAsk);
    if (ask && ask.shas.length > 0)
      for (const [sha, under] of await this.dirsTouched(ask.shas, ask.dirs)) found.set(sha, under);
    return touched ? { ...snapshot, touched: found } : snapshot;
  }

  async listCommits(range: {
    base?: string;
    head: string;
    since?: string;
  }): Promise<{ commits: PlanCommit[]; head?: CommitRef | undefined }> {
    const listed = range.base
      ? await this.compareAll(`${range.base}...${range.head}`)
      : (
          await this.octokit.rest.repos.listCommits({
            ...this.repo,
            sha: range.head,
            per_page: 100,
            ...(range.since ? { since: range.since } : {}),
          })
        ).data.reverse();
    const commits = listed.map((c) => ({
      sha: c.sha,
      message: c.commit.message,
      date: c.commit.author?.date ?? c.commit.committer?.date ?? "",
      files: [] as string[],
    }));
    const newest = listed.at(-1);
    return { commits, head: newest ? { sha: newest.sha, treeSha: newest.commit.tree.sha } : undefined };
  }

  /**
   * Every commit of a compare, oldest first. GitHub pages a compare with `per_page` (at most 100)
   * and `page`, oldest commits first, and counts the whole range in `total_commits`
   * (https://docs.github.com/en/rest/commits/commits#compare-two-commits); unpaged it lists at
   * most 250. So the first page says how many pages follow, and they are read a few at a time;
   * the newest commit (the last of the last page) is the head. Calls grow with pages, not files.
   */
  private async compareAll(basehead: string) {
    const page = async (n: number) =>
      (
        await this.octokit.rest.repos.compareCommitsWithBasehead({
          ...this.repo,
          basehead,
          per_page: COMPARE_PAGE,
          page: n,
        })
      ).data;
    const first = await page(1);
    const commits = [...first.commits];
    const pages = Math.ceil(first.total_commits / COMPARE_PAGE);
    for (let next = 2; next <= pages; next += PARALLEL_PAGES) {
      const batch = Array.from({ length: Math.min(PARALLEL_PAGES, pages - next + 1) }, (_, i) => next + i);
      for (const data of await Promise.all(batch.map(page))) commits.push(...data.commits);
    }
    return commits;
  }

  async dirsTouched(shas: readonly string[], dirs: readonly string[]): Promise<Map<string, string[]>> {
    const touched = new Map<string, string[]>();
    for (const chunk of chunkCommits(shas, dirs.length)) {
      const { query, variables } = dirsTouchedQuery(this.repo, chunk, dirs);
      const data = await this.octokit.graphql(query, variables);
      for (const [sha, found] of readDirsTouched(data, chunk, dirs)) touched.set(sha, found);
    }
    return touched;
  }

  async createCommit(parent: CommitRef, message: string, files: FileChanges): Promise<string> {
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repo,
      base_tree: parent.treeSha,
      tree: [...files].map(([path, content]) =>
        content === null
          ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path, mode: "100644" as const, type: "blob" as const, content },
      ),
    });
    const { data: commit } = await this.octokit.rest.git.createCommit({
      ...this.repo,
      message,
      tree: tree.sha,
      parents: [parent.sha],
    });
    return commit.sha;
  }

  async createBranch(name: string, sha: string): Promise<"created" | "exists"> {
    const ref = `refs/heads/${name}`;
    // Only "Reference already exists" means someone else made it; other 422s throw (ref-write.ts).
    const written = await writeRef(ref, ["exists"], () =>
      this.octokit.rest.git.createRef({ ...this.repo, ref, sha }),
    );
    return "ok" in written ? "created" : "exists";
  }

  async advanceBranch(name: string, sha: string): Promise<"updated" | "moved"> {
    // Not forced: GitHub refuses unless the branch is still an ancestor of the new commit.
    const written = await writeRef(`refs/heads/${name}`, ["not-fast-forward"], () =>
      this.octokit.rest.git.updateRef({ ...this.repo, ref: `heads/${name}`, sha, force: false }),
    );
    return "ok" in written ? "updated" : "moved";
  }

  async getTagCommit(tag: string): Promise<string | undefined> {
    const ref = await orAbsent(() => this.octokit.rest.git.getRef({ ...this.repo, ref: `tags/${tag}` }));
    if (!ref) return undefined;
    let object = ref.data.object;
    // An annotated tag (possibly of a tag) is peeled down to its commit.
    for (let depth = 0; object.type === "tag" && depth < 4; depth++) {
      const { data } = await this.octokit.rest.git.getTag({ ...this.repo, tag_sha: object.sha });
      object = data.object;
    }
    return object.type === "commit" ? object.sha : undefined;
  }

  async createAnnotatedTag(tag: string, message: string, commit: string): Promise<"created" | "exists"> {
    const { data } = await this.octokit.rest.git.createTag({
      ...this.repo,
      tag,
      message,
      object: commit,
      type: "commit",
    });
    const ref = `refs/tags/${tag}`;
    const written = await writeRef(ref, ["exists"], () =>
      this.octokit.rest.git.createRef({ ...this.repo, ref, sha: data.sha }),
    );
    return "ok" in written ? "created" : "exists";
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    const found = await orAbsent(() => this.octokit.rest.repos.getContent({ ...this.repo, path, ref }));
    const data = found?.data;
    if (!data || Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return Buffer.from(data.content, "base64").toString("utf8");
  }

  /**
   * One GraphQL request per {@link FILES_PER_QUERY} paths (`object(expression: "<sha>:<path>")`
   * as a Blob, https://docs.github.com/en/graphql/reference/objects#blob); a blob whose `text`
   * GitHub truncated is read again alone over REST.
   */
  async readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const texts = new Map<string, string | undefined>();
    for (let i = 0; i < paths.length; i += FILES_PER_QUERY) {
      const chunk = paths.slice(i, i + FILES_PER_QUERY);
      const { query, variables } = filesAtQuery(this.repo, ref, chunk);
      const answer = readFilesAt(await this.octokit.graphql(query, variables), chunk);
      for (const [path, found] of answer)
        texts.set(path, found === "truncated" ? await this.readFile(ref, path) : found);
    }
    return texts;
  }

  async readFilesAt(
    refs: readonly string[],
    paths: readonly string[],
  ): Promise<Map<string, FileAt | undefined>[]> {
    return readFilesAtRefs(this.octokit, this.repo, refs, paths);
  }

  async compare(base: string, head: string): Promise<Comparison> {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...this.repo,
      basehead: `${base}...${head}`,
      per_page: 250,
    });
    const authors = data.commits.flatMap((c) =>
      c.author?.login && c.author.type !== "Bot" ? [c.author.login] : [],
    );
    // The files come whole (at most 300) on this first page only: "The list of changed files is
    // only shown on the first page of results" (https://docs.github.com/en/rest/commits/commits#compare-two-commits).
    const files = data.files ?? [];
    return {
      aheadBy: data.ahead_by,
      behindBy: data.behind_by,
      // "it includes up to 300 changed files for the entire comparison" (same page).
      filesCapped: files.length >= COMPARE_FILES_CAP,
      authors: [...new Set(authors)],
      files: (data.files ?? []).map((f) => f.filename),
      renamedFrom: (data.files ?? []).flatMap((f) => (f.previous_filename ? [f.previous_filename] : [])),
      url: data.html_url,
    };
  }

  /** https://docs.github.com/en/rest/branches/branches#merge-a-branch: 201 merged, 204 nothing to merge, 409 conflict. */
  async mergeInto(base: string, head: string, message: string): Promise<MergeResult> {
    try {
      const response = await this.octokit.rest.repos.merge({
        ...this.repo,
        base,
        head,
        commit_message: message,
      });
      if ((response.status as number) === 204) return { kind: "up-to-date" };
      return { kind: "merged", sha: response.data.sha };
    } catch (error) {
      const status = httpStatusOf(error);
      // 409 is a merge conflict ("Merge conflict") or a protected branch refusing the new merge
      // commit (`Required status check "ci" is expected.`, "Changes must be made through a pull
      // request."): only the first is a conflict to resolve by hand.
      if (status === 409)
        return /merge conflict/i.test(githubMessageOf(error))
          ? { kind: "conflict" }
          : { kind: "refused", status };
      if (status === 403 || status === 404 || status === 422) return { kind: "refused", status };
      throw error;
    }
  }
}
