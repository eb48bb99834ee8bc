// Rulesets restricting refs refuse the Git refs API's writes with GitHub's 422 "Repository rule
// violations found" and the rule's own sentence, and `GET /rules/branches/{branch}` lists the
// rules that apply (https://docs.github.com/en/rest/repos/rules#get-rules-for-a-branch;
// rules: https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { refMatches } from "../../../sandbox/github/rulesets.js";
import { octokitFor } from "./helpers.js";

const repo = { owner: "acme", repo: "ml" };
interface Refusal {
  status: number;
  response: { data: { message: string } };
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Refusal,
  );

describe("ref_name patterns", () => {
  it("follow fnmatch: * within a segment, ** across, ~ALL and ~DEFAULT_BRANCH", () => {
    expect(refMatches("refs/heads/release/*", "refs/heads/release/v1.2.0", "main")).toBe(true);
    expect(refMatches("refs/heads/release/*", "refs/heads/release/a/b", "main")).toBe(false);
    expect(refMatches("refs/heads/release/**", "refs/heads/release/a/b", "main")).toBe(true);
    expect(refMatches("refs/heads/release/*", "refs/heads/releases/x", "main")).toBe(false);
    expect(refMatches("refs/tags/v?.*", "refs/tags/v1.0", "main")).toBe(true);
    expect(refMatches("~DEFAULT_BRANCH", "refs/heads/main", "main")).toBe(true);
    expect(refMatches("~DEFAULT_BRANCH", "refs/heads/develop", "main")).toBe(false);
    expect(refMatches("~ALL", "refs/heads/anything/at/all", "main")).toBe(true);
  });
});

describe("a ruleset on release/* and main", () => {
  let sandbox: GitHubSandbox;
  let gh: ReturnType<typeof octokitFor>;
  let main: string;
  let side: string;
  beforeAll(async () => {
    sandbox = await startGitHubSandbox();
    await sandbox.createRepo({
      owner: "acme",
      name: "ml",
      history: [
        { branch: "main", message: "Initial", files: { "README.md": "# ML\n" } },
        { branch: "side", message: "Side", files: { "side.txt": "x\n" } },
        { branch: "release/v0.9.0", message: "Old release", files: { "old.txt": "x\n" } },
      ],
    });
    main = (await sandbox.getRef("acme/ml", "heads/main"))!;
    side = (await sandbox.getRef("acme/ml", "heads/side"))!;
    sandbox.addRuleset("acme/ml", {
      name: "releases",
      include: ["refs/heads/release/*"],
      rules: [{ type: "creation" }, { type: "update" }, { type: "deletion" }],
    });
    sandbox.addRuleset("acme/ml", {
      name: "main",
      include: ["~DEFAULT_BRANCH"],
      rules: [
        { type: "non_fast_forward" },
        {
          type: "required_status_checks",
          parameters: {
            required_status_checks: [{ context: "ci" }],
            strict_required_status_checks_policy: false,
          },
        },
      ],
    });
    sandbox.addRuleset("acme/ml", {
      name: "off",
      enforcement: "disabled",
      include: ["~ALL"],
      rules: [{ type: "creation" }],
    });
    gh = octokitFor(sandbox.url);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("refuses creating, updating and deleting a release branch with GitHub's sentences", async () => {
    const create = await refusal(
      gh.rest.git.createRef({ ...repo, ref: "refs/heads/release/v1.0.0", sha: main }),
    );
    expect(create?.status).toBe(422);
    expect(create?.response.data.message).toBe(
      "Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n",
    );
    expect(await sandbox.getRef("acme/ml", "heads/release/v1.0.0")).toBeUndefined();
    const update = await refusal(
      gh.rest.git.updateRef({ ...repo, ref: "heads/release/v0.9.0", sha: side, force: true }),
    );
    expect(update?.response.data.message).toBe(
      "Repository rule violations found\n\nCannot update this protected ref.\n\n",
    );
    const remove = await refusal(gh.rest.git.deleteRef({ ...repo, ref: "heads/release/v0.9.0" }));
    expect(remove?.status).toBe(422);
    expect(remove?.response.data.message).toBe(
      "Repository rule violations found\n\nCannot delete this protected ref.\n\n",
    );
    expect(await sandbox.getRef("acme/ml", "heads/release/v0.9.0")).toBeDefined();
  });

  it("leaves other refs alone; a disabled ruleset refuses nothing", async () => {
    await expect(
      gh.rest.git.createRef({ ...repo, ref: "refs/heads/feature/x", sha: main }),
    ).resolves.toMatchObject({
      status: 201,
    });
    await expect(gh.rest.git.deleteRef({ ...repo, ref: "heads/feature/x" })).resolves.toMatchObject({
      status: 204,
    });
  });

  it("holds main to its required check and refuses a force update", async () => {
    const checks = await refusal(gh.rest.git.updateRef({ ...repo, ref: "heads/main", sha: side }));
    expect(checks?.response.data.message).toBe(
      'Repository rule violations found\n\nRequired status check "ci" is expected.\n\n',
    );
    await gh.rest.checks.create({
      ...repo,
      name: "ci",
      head_sha: side,
      status: "completed",
      conclusion: "success",
    });
    await expect(gh.rest.git.updateRef({ ...repo, ref: "heads/main", sha: side })).resolves.toMatchObject({
      status: 200,
    });
    const force = await refusal(
      gh.rest.git.updateRef({ ...repo, ref: "heads/main", sha: main, force: true }),
    );
    expect(force?.response.data.message).toBe(
      // Every broken rule is listed: main's old commit has no green "ci" either.
      'Repository rule violations found\n\nCannot force-push to this branch\n\nRequired status check "ci" is expected.\n\n',
    );
  });

  it("lists the rules that apply to a branch, with their ruleset", async () => {
    const { data: release } = await gh.rest.repos.getBranchRules({ ...repo, branch: "release" });
    expect(release).toEqual([]);
    const { data: onMain } = await gh.rest.repos.getBranchRules({ ...repo, branch: "main" });
    expect(onMain.map((r) => r.type)).toEqual(["non_fast_forward", "required_status_checks"]);
    expect(onMain[1]).toMatchObject({
      ruleset_source_type: "Repository",
      ruleset_source: "acme/ml",
      parameters: { required_status_checks: [{ context: "ci" }] },
    });
    expect(sandbox.violations).toEqual([]);
  });
});

describe("a ruleset with the App in its bypass list", () => {
  it("lets the App create the ref, and not a person", async () => {
    const sandbox = await startGitHubSandbox();
    try {
      await sandbox.createRepo({ owner: "acme", name: "ml", branches: { main: { "README.md": "# ML\n" } } });
      sandbox.addRuleset("acme/ml", {
        name: "tags",
        target: "tag",
        include: ["refs/tags/v*"],
        rules: [{ type: "creation" }],
        bypassApp: true,
      });
      const sha = (await sandbox.getRef("acme/ml", "heads/main"))!;
      await expect(
        octokitFor(sandbox.url).rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.0", sha }),
      ).resolves.toMatchObject({ status: 201 });
      const alice = octokitFor(sandbox.url, sandbox.personalToken("alice"));
      const refused = await refusal(alice.rest.git.createRef({ ...repo, ref: "refs/tags/v1.0.1", sha }));
      expect(refused?.status).toBe(422);
      expect(refused?.response.data.message).toMatch(/Cannot create ref due to creations being restricted/);
    } finally {
      await sandbox.close();
    }
  });
});
