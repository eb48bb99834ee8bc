import type { PlanCommit, TreeSnapshot } from "../../domain/release/release-plan.js";
import type { CommitRef, PullRef, ReleaseRepository } from "../../ports/release-repository.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { writeRef } from "./ref-write.js";
import { chunkCommits, dirsTouchedQuery, readDirsTouched } from "./dirs-touched-query.js";
import { readTarball } from "./read-tarball.js";

const snapshot = (files: Map<string, Buffer>): TreeSnapshot => ({
  list: () => [...files.keys()],
  read: (path) => files.get(path)?.toString("utf8"),
});

const COMPARE_PAGE = 100;
const PARALLEL_PAGES = 4;

/** The release port over GitHub's REST API (Git Data API for the one-commit write). */
export class GitHubReleaseRepository implements ReleaseRepository {
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
    try {
      const { data } = await this.octokit.rest.repos.getBranch({ ...this.repo, branch });
      return { sha: data.commit.sha, treeSha: data.commit.commit.tree.sha };
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async readTree(sha: string): Promise<TreeSnapshot> {
    const { data } = await this.octokit.rest.repos.downloadTarballArchive({ ...this.repo, ref: sha });
    const { files } = readTarball(Buffer.from(data as ArrayBuffer));
    return snapshot(new Map(files.map((f) => [f.path, f.content])));
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

  async createCommit(
    parent: CommitRef,
    message: string,
    files: readonly { path: string; content: string | null }[],
  ): Promise<string> {
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repo,
      base_tree: parent.treeSha,
      tree: files.map(({ path, content }) =>
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

  async findOpenPull(head: string, base: string): Promise<PullRef | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      state: "open",
      head: `${this.repo.owner}:${head}`,
      base,
      per_page: 10,
    });
    const pull = data[0];
    return pull
      ? { number: pull.number, url: pull.html_url, labels: pull.labels.map((l) => l.name) }
      : undefined;
  }

  async addLabels(pull: number, labels: readonly string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: pull, labels: [...labels] });
  }

  async createPull(pull: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRef | "exists"> {
    let data;
    try {
      ({ data } = await this.octokit.rest.pulls.create({
        ...this.repo,
        head: pull.head,
        base: pull.base,
        title: pull.title,
        body: pull.body,
        maintainer_can_modify: true,
      }));
    } catch (error) {
      // "A pull request already exists for owner:branch."
      if (httpStatusOf(error) === 422 && /already exists/i.test(String((error as Error).message)))
        return "exists";
      throw error;
    }
    if (pull.labels.length > 0) {
      await this.octokit.rest.issues.addLabels({
        ...this.repo,
        issue_number: data.number,
        labels: pull.labels,
      });
    }
    return { number: data.number, url: data.html_url };
  }
}
