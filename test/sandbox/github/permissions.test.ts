// The installation's permissions follow app.yml's default_permissions, and GitHub's workflows
// rule holds: an App writes `.github/workflows/*` only with `workflows: write`
// (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps#repository-permissions-for-workflows).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readAppPermissions, workflowRefusal } from "../../../sandbox/github/permissions.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "./helpers.js";

const repo = { owner: "acme", repo: "ml" };

/** The App commits `files` on main's tip and points `ref` at it, as the app's adapters do. */
async function commitAndPoint(gh: ReturnType<typeof octokitFor>, ref: string, files: Record<string, string>) {
  const main = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
  const base = (await gh.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
  const tree = await gh.rest.git.createTree({
    ...repo,
    base_tree: base,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: "100644" as const,
      type: "blob" as const,
      content,
    })),
  });
  const commit = await gh.rest.git.createCommit({
    ...repo,
    message: "chore: edit",
    tree: tree.data.sha,
    parents: [main],
  });
  return gh.rest.git.createRef({ ...repo, ref, sha: commit.data.sha });
}

async function sandboxWith(permissions?: Record<string, string>): Promise<GitHubSandbox> {
  const sandbox = await startGitHubSandbox(permissions ? { permissions } : {});
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: { "README.md": "# ML\n", ".github/workflows/ci.yml": "on: push\n" },
      },
    ],
  });
  return sandbox;
}

describe("installation permissions", () => {
  it("are app.yml's default_permissions", () => {
    const manifest = parse(readFileSync(new URL("../../../app.yml", import.meta.url), "utf8")) as {
      default_permissions: Record<string, string>;
    };
    expect(readAppPermissions()).toEqual(manifest.default_permissions);
    expect(readAppPermissions().workflows).toBeUndefined();
  });

  it("refuse a workflow write without `workflows: write`, and only a workflow write", () => {
    expect(workflowRefusal({ contents: "write" }, ["README.md", ".github/workflows/ci.yml"])).toBe(
      "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission",
    );
    expect(
      workflowRefusal({ contents: "write" }, ["README.md", ".github/release-pilot.yml"]),
    ).toBeUndefined();
    expect(
      workflowRefusal({ contents: "write", workflows: "write" }, [".github/workflows/ci.yml"]),
    ).toBeUndefined();
  });
});

describe("the workflows rule on ref writes", () => {
  let sandbox: GitHubSandbox;
  let gh: ReturnType<typeof octokitFor>;
  beforeAll(async () => {
    sandbox = await sandboxWith();
    gh = octokitFor(sandbox.url);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("refuses the App a branch whose new commits change a workflow file; other files pass", async () => {
    const refused = (await commitAndPoint(gh, "refs/heads/revert/v1", {
      ".github/workflows/ci.yml": "on: [push]\n",
    }).catch((e: unknown) => e)) as { status: number; response: { data: { message: string } } };
    expect(refused.status).toBe(422);
    expect(refused.response.data.message).toBe(
      "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission",
    );
    expect(await sandbox.getRef("acme/ml", "heads/revert/v1")).toBeUndefined();
    await expect(commitAndPoint(gh, "refs/heads/docs", { "README.md": "# ML!\n" })).resolves.toMatchObject({
      status: 201,
    });
    // A branch at a commit already on a ref brings nothing new: allowed.
    const main = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    await expect(
      gh.rest.git.createRef({ ...repo, ref: "refs/heads/copy", sha: main }),
    ).resolves.toMatchObject({
      status: 201,
    });
  });

  it("lets a person push workflow changes (the rule binds Apps)", async () => {
    await sandbox.pushCommit("acme/ml", "alice", "main", "ci: tweak", {
      ".github/workflows/ci.yml": "on: pull_request\n",
    });
    expect(await sandbox.getFile("acme/ml", "main", ".github/workflows/ci.yml")).toBe("on: pull_request\n");
  });
});

describe("an installation granted `workflows: write`", () => {
  it("may write workflow files", async () => {
    const sandbox = await sandboxWith({ ...readAppPermissions(), workflows: "write" });
    try {
      const gh = octokitFor(sandbox.url);
      await expect(
        commitAndPoint(gh, "refs/heads/ci", { ".github/workflows/ci.yml": "on: [push]\n" }),
      ).resolves.toMatchObject({ status: 201 });
      expect(sandbox.violations).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
