/**
 * ReleaseTags over the refs port: a version is released when its tag (`<prefix><version>`)
 * exists. Both reads are one matching-refs request
 * (https://docs.github.com/en/rest/git/refs#list-matching-references); a prefix match also
 * lists `v1.2.0-rc.1` for `v1.2.0`, so the tag is looked for by its exact name.
 */
import { maxSatisfying, valid } from "semver";
import type { ReleaseTags } from "../../ports/deployments.js";
import type { GitData } from "../../ports/git-data.js";

export const createReleaseTags = (git: Pick<GitData, "listTags">, tagPrefix: string): ReleaseTags => ({
  async tagOf(version) {
    const tag = `${tagPrefix}${version}`;
    return (await git.listTags(tag)).includes(tag) ? tag : undefined;
  },
  async latest() {
    const versions = (await git.listTags(tagPrefix))
      .map((t) => t.slice(tagPrefix.length))
      .filter((v) => valid(v) !== null);
    return maxSatisfying(versions, "*") ?? undefined;
  },
});
