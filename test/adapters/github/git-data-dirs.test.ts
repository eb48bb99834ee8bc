import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { chunkCommits, MAX_HISTORIES_PER_QUERY } from "../../../src/adapters/github/dirs-touched-query.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";

let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "ml" };
const dirs = ["services/bankchurn", "services/telecom", "services/nlp"];

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      { branch: "main", message: "Initial commit", files: { "README.md": "# ML\n" } },
      { branch: "main", message: "feat: batch", files: { "services/bankchurn/app.py": "a\n" } },
      { branch: "main", message: "docs: readme", files: { "README.md": "# ML!\n" } },
      {
        branch: "main",
        message: "fix: two services",
        files: { "services/telecom/app.py": "t\n", "services/nlp/app.py": "n\n" },
      },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("which service directories each commit touched, in one GraphQL request", () => {
  it("answers per commit, validated against GitHub's GraphQL schema, with one request", async () => {
    const gh = octokitFor(sandbox.url);
    const { data: commits } = await gh.rest.repos.listCommits({ ...repo, sha: "main" });
    const [twoServices, readme, batch] = commits.map((c) => c.sha);
    const repository = new GitHubGitData(gh, repo);
    const before = sandbox.requests.length;
    const touched = await repository.dirsTouched([batch!, readme!, twoServices!], dirs);
    expect(touched.get(batch!)).toEqual(["services/bankchurn"]);
    expect(touched.get(readme!)).toEqual([]);
    expect(touched.get(twoServices!)).toEqual(["services/telecom", "services/nlp"]);
    expect(sandbox.requests.slice(before).map((r) => r.operationId)).toEqual(["graphql"]);
    expect(sandbox.violations).toEqual([]);
  });

  it("reports a query that GitHub's schema would refuse as a violation", async () => {
    const gh = octokitFor(sandbox.url);
    await expect(gh.graphql(`query { repository(owner: "acme", name: "ml") { nope } }`)).rejects.toThrow(
      /Cannot query field "nope"/,
    );
    expect(sandbox.violations.splice(0)).toEqual([
      expect.stringContaining('GraphQL query invalid against GitHub\'s schema: Cannot query field "nope"'),
    ]);
  });

  it("splits many commits into requests of bounded size", () => {
    const shas = Array.from({ length: 400 }, (_, i) => String(i).padStart(40, "0"));
    const chunks = chunkCommits(shas, 30);
    expect(chunks.flat()).toEqual(shas);
    for (const chunk of chunks) expect(chunk.length * 30).toBeLessThanOrEqual(MAX_HISTORIES_PER_QUERY);
    expect(chunkCommits(shas.slice(0, 3), 3)).toEqual([shas.slice(0, 3)]);
  });
});
