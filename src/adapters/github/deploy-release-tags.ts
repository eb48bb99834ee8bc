/** ReleaseTags on the git refs API: a version is released when its tag (`<prefix><version>`) exists. */
import { maxSatisfying, valid } from "semver";
import type { ReleaseTags } from "../../ports/deployments.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export class GitHubReleaseTags implements ReleaseTags {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    private readonly tagPrefix: string,
  ) {}

  async tagOf(version: string): Promise<string | undefined> {
    const tag = `${this.tagPrefix}${version}`;
    try {
      await this.octokit.rest.git.getRef({ ...this.repo, ref: `tags/${tag}` });
      return tag;
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async latest(): Promise<string | undefined> {
    const { data } = await this.octokit.rest.git.listMatchingRefs({
      ...this.repo,
      ref: `tags/${this.tagPrefix}`,
    });
    const versions = data
      .map((r) => r.ref.slice(`refs/tags/${this.tagPrefix}`.length))
      .filter((v) => valid(v) !== null);
    return maxSatisfying(versions, "*") ?? undefined;
  }
}
