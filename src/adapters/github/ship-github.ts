import type { TreeSnapshot } from "../../domain/release/release-plan.js";
import type { MergeResult, PullLink, ReleaseRecord, ShipGitHub } from "../../ports/ship.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { writeRef } from "./ref-write.js";
import { GitHubReleaseRepository } from "./release-repository.js";

/** Runs a read that answers 404 for "absent". */
const orAbsent = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
};

const MAX_ISSUES_SCANNED = 20;

interface ReleaseData {
  id: number;
  tag_name: string;
  html_url: string;
  draft: boolean;
  body?: string | null;
}

const toRelease = (r: ReleaseData): ReleaseRecord => ({
  id: r.id,
  tag: r.tag_name,
  url: r.html_url,
  draft: r.draft,
  body: r.body ?? "",
});

/** The shipping port over GitHub's REST API. */
export class GitHubShip implements ShipGitHub {
  readonly webUrl: string;
  readonly #release: GitHubReleaseRepository;

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    webUrl = `https://github.com/${repo.owner}/${repo.repo}`,
  ) {
    this.webUrl = webUrl;
    this.#release = new GitHubReleaseRepository(octokit, repo, webUrl);
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

  listTags(prefix: string): Promise<string[]> {
    return this.#release.listTags(prefix);
  }

  getBranchHead(branch: string) {
    return this.#release.getBranchHead(branch);
  }

  createBranch(name: string, sha: string) {
    return this.#release.createBranch(name, sha);
  }

  async advanceBranch(name: string, sha: string): Promise<"updated" | "moved"> {
    // Not forced: GitHub refuses unless the branch is still an ancestor of the new commit.
    const written = await writeRef(`refs/heads/${name}`, ["not-fast-forward"], () =>
      this.octokit.rest.git.updateRef({ ...this.repo, ref: `heads/${name}`, sha, force: false }),
    );
    return "ok" in written ? "updated" : "moved";
  }

  readTree(ref: string): Promise<TreeSnapshot> {
    return this.#release.readTree(ref);
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    const found = await orAbsent(() => this.octokit.rest.repos.getContent({ ...this.repo, path, ref }));
    const data = found?.data;
    if (!data || Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return Buffer.from(data.content, "base64").toString("utf8");
  }

  createCommit(
    parent: { sha: string; treeSha: string },
    message: string,
    files: ReadonlyMap<string, string | null>,
  ): Promise<string> {
    return this.#release.createCommit(
      parent,
      message,
      [...files].map(([path, content]) => ({ path, content })),
    );
  }

  async compare(base: string, head: string) {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...this.repo,
      basehead: `${base}...${head}`,
      per_page: 250,
    });
    const authors = data.commits.flatMap((c) =>
      c.author?.login && c.author.type !== "Bot" ? [c.author.login] : [],
    );
    return {
      aheadBy: data.ahead_by,
      authors: [...new Set(authors)],
      files: (data.files ?? []).map((f) => f.filename),
    };
  }

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
        return /merge conflict/i.test(errorMessage(error))
          ? { kind: "conflict" }
          : { kind: "refused", status };
      if (status === 403 || status === 404 || status === 422) return { kind: "refused", status };
      throw error;
    }
  }

  async findRelease(tag: string): Promise<ReleaseRecord | undefined> {
    // Drafts have no tag yet, so get-release-by-tag cannot see them: list instead.
    const { data } = await this.octokit.rest.repos.listReleases({ ...this.repo, per_page: 100 });
    const found = data.find((r) => r.tag_name === tag);
    return found ? toRelease(found) : undefined;
  }

  async createRelease(input: {
    tag: string;
    target: string;
    name: string;
    body: string;
    draft: boolean;
    prerelease: boolean;
  }): Promise<ReleaseRecord> {
    const { data } = await this.octokit.rest.repos.createRelease({
      ...this.repo,
      tag_name: input.tag,
      target_commitish: input.target,
      name: input.name,
      body: input.body,
      draft: input.draft,
      prerelease: input.prerelease,
    });
    return toRelease(data);
  }

  async updateRelease(id: number, input: { body?: string; draft?: boolean }): Promise<ReleaseRecord> {
    const { data } = await this.octokit.rest.repos.updateRelease({ ...this.repo, release_id: id, ...input });
    return toRelease(data);
  }

  async findWorkflowRun(workflow: string, headSha: string) {
    // The repository-wide list, filtered by path: the per-workflow list answers 404 (undeclared)
    // for a workflow that never ran.
    const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({
      ...this.repo,
      head_sha: headSha,
      per_page: 100,
    });
    const run = data.workflow_runs.find((r) => r.path === `.github/workflows/${workflow}`);
    return run ? { id: run.id, url: run.html_url } : undefined;
  }

  async dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>) {
    const response = await this.octokit.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      { ...this.repo, workflow_id: workflow, ref, inputs, return_run_details: true },
    );
    const data = response.data as { workflow_run_id?: number; html_url?: string } | undefined;
    return data?.workflow_run_id && data.html_url
      ? { id: data.workflow_run_id, url: data.html_url }
      : undefined;
  }

  findOpenPull(head: string, base: string): Promise<PullLink | undefined> {
    return this.#release.findOpenPull(head, base);
  }

  createPull(input: { head: string; base: string; title: string; body: string }) {
    return this.#release.createPull({ ...input, labels: [] });
  }

  async updatePullBody(number: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.repo, pull_number: number, body });
  }

  async addLabels(number: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: number, labels });
  }

  async findComment(issue: number, marker: string) {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: issue,
      per_page: 100,
    });
    const found = comments.find((c) => c.user?.type === "Bot" && (c.body ?? "").includes(marker));
    return found ? { id: found.id, url: found.html_url, body: found.body ?? "" } : undefined;
  }

  async postComment(issue: number, body: string) {
    const { data } = await this.octokit.rest.issues.createComment({
      ...this.repo,
      issue_number: issue,
      body,
    });
    return { id: data.id, url: data.html_url };
  }

  async getIssue(number: number) {
    const found = await orAbsent(() => this.octokit.rest.issues.get({ ...this.repo, issue_number: number }));
    if (!found) return undefined;
    const { data } = found;
    return {
      state: data.state === "closed" ? ("closed" as const) : ("open" as const),
      title: data.title,
      isPull: data.pull_request !== undefined,
    };
  }

  async closeIssue(number: number): Promise<void> {
    await this.octokit.rest.issues.update({
      ...this.repo,
      issue_number: number,
      state: "closed",
      state_reason: "completed",
    });
  }

  async findIssueLinking(pullUrl: string): Promise<number | undefined> {
    const { data } = await this.octokit.rest.issues.listForRepo({
      ...this.repo,
      state: "open",
      per_page: MAX_ISSUES_SCANNED,
    });
    for (const issue of data.filter((i) => !i.pull_request)) {
      const { data: comments } = await this.octokit.rest.issues.listComments({
        ...this.repo,
        issue_number: issue.number,
        per_page: 100,
      });
      if (comments.some((c) => c.user?.type === "Bot" && (c.body ?? "").includes(pullUrl)))
        return issue.number;
    }
    return undefined;
  }
}

/** The message GitHub answered a failed request with ("" when there is none). */
const errorMessage = (error: unknown): string => {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  return typeof data === "object" && data !== null && "message" in data && typeof data.message === "string"
    ? data.message
    : "";
};
