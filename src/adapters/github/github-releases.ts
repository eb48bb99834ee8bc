/** Releases over GitHub's Releases API (https://docs.github.com/en/rest/releases/releases). */
import type { RepoRef } from "../../domain/repo-ref.js";
import type { ReleaseRecord, Releases } from "../../ports/releases.js";
import { httpStatusOf, type Octokit } from "./octokit.js";

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

export class GitHubReleases implements Releases {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  /** https://docs.github.com/en/rest/releases/releases#get-the-latest-release: 404 before the first. */
  async findLatestTag(): Promise<string | undefined> {
    try {
      return (await this.octokit.rest.repos.getLatestRelease({ ...this.repo })).data.tag_name;
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
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
}
