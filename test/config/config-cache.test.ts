import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { createRepoFileReader, FileCache } from "../../src/adapters/github/read-repo-file.js";
import { useNockLifecycle } from "../support/nock-lifecycle.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";

const content = (text: string) => ({
  type: "file",
  encoding: "base64",
  size: text.length,
  name: "release-pilot.yml",
  path: ".github/release-pilot.yml",
  content: Buffer.from(text).toString("base64"),
  sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
  url: "https://api.github.com/x",
  git_url: null,
  html_url: null,
  download_url: null,
  _links: { git: null, html: null, self: "https://api.github.com/x" },
});

describe("createRepoFileReader", () => {
  useNockLifecycle();
  const repo = { owner: "o", repo: "r" };

  it("asks again with If-None-Match and uses the cached text on 304", async () => {
    const octokit = new TestOctokit({ auth: "t" });
    const read = createRepoFileReader(octokit, new FileCache());
    nock("https://api.github.com")
      .get("/repos/o/r/contents/.github%2Frelease-pilot.yml")
      .reply(200, content("release: {}\n"), { etag: '"v1"' })
      .get("/repos/o/r/contents/.github%2Frelease-pilot.yml")
      .matchHeader("if-none-match", '"v1"')
      .reply(304);
    await expect(read(repo, ".github/release-pilot.yml")).resolves.toBe("release: {}\n");
    await expect(read(repo, ".github/release-pilot.yml")).resolves.toBe("release: {}\n");
  });

  it("answers undefined for a missing file", async () => {
    const octokit = new TestOctokit({ auth: "t" });
    nock("https://api.github.com")
      .get("/repos/o/r/contents/missing.yml")
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com" });
    await expect(
      createRepoFileReader(octokit, new FileCache())(repo, "missing.yml"),
    ).resolves.toBeUndefined();
  });
});
