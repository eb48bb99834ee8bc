import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createGitHubPorts } from "../../../src/adapters/github/create-github-ports.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import type { GitHubPorts } from "../../../src/ports/github-ports.js";
import { octokitFor } from "../../sandbox/github/helpers.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../../sandbox/github/index.js";

let sandbox: GitHubSandbox;
let octokit: Octokit;
let ports: GitHubPorts;
const repo = { owner: "acme", repo: "ml" };
const NAME = "acme/ml";

/** The app's requests since `from`, as "METHOD path". */
const requestsSince = (from: number) =>
  sandbox.requests.slice(from).map((r) => `${r.method} ${decodeURIComponent(r.path.replace(/\?.*$/, ""))}`);

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: {
          "README.md": "# ML\n",
          "OLD.md": "old\n",
          // A workflow_dispatch workflow (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#workflow_dispatch).
          ".github/workflows/smoke.yml":
            "name: smoke\non:\n  workflow_dispatch:\n    inputs:\n      version:\n        required: true\njobs: {}\n",
        },
      },
    ],
  });
  octokit = octokitFor(sandbox.url) as unknown as Octokit;
  ports = createGitHubPorts(octokit, repo, "https://github.com/acme/ml", {
    smoke: { sleep: async () => undefined, pollMs: 10 },
  });
});

afterAll(async () => {
  expect(sandbox.violations).toEqual([]);
  await sandbox.close();
});

describe("refs and commits", () => {
  it("writes one commit from a map of paths (null deletes) and reads it back", async () => {
    const head = await ports.git.getBranchHead("main");
    expect(head).toBeDefined();
    const files = new Map<string, string | null>([
      ["VERSION", "1.2.0\n"],
      ["OLD.md", null],
    ]);
    const sha = await ports.git.createCommit(head!, "chore: bump", files);
    expect(await ports.git.advanceBranch("main", sha)).toBe("updated");
    expect(await ports.git.readFile("main", "VERSION")).toBe("1.2.0\n");
    expect(await ports.git.readFile("main", "OLD.md")).toBeUndefined();
    expect(await ports.git.readFile("main", "README.md")).toBe("# ML\n");
  });
});

describe("release tags over the refs port", () => {
  it("tells a released version by its exact tag, not a pre-release sharing its prefix", async () => {
    const main = (await ports.git.getBranchHead("main"))!.sha;
    expect(await ports.git.createAnnotatedTag("v1.2.0-rc.1", "rc", main)).toBe("created");
    const tags = ports.releaseTags("v");
    const from = sandbox.requests.length;
    expect(await tags.tagOf("1.2.0")).toBeUndefined();
    // One matching-refs request, whatever the tag is (annotated tags are not peeled).
    expect(requestsSince(from)).toEqual(["GET /repos/acme/ml/git/matching-refs/tags/v1.2.0"]);
    expect(await tags.latest()).toBeUndefined(); // a pre-release is not a release

    expect(await ports.git.createAnnotatedTag("v1.2.0", "Release 1.2.0", main)).toBe("created");
    expect(await ports.git.createAnnotatedTag("v1.10.0", "Release 1.10.0", main)).toBe("created");
    expect(await tags.tagOf("1.2.0")).toBe("v1.2.0");
    expect(await tags.tagOf("1.2")).toBeUndefined();
    // SemVer order, not name order.
    expect(await tags.latest()).toBe("1.10.0");
    expect(await ports.git.getTagCommit("v1.2.0")).toBe(main);
  });
});

describe("the conversation on an issue, over the issues port", () => {
  it("replies, and keeps one progress comment up to date", async () => {
    const issue = await ports.issues.openIssue({ title: "Deploy", body: "go", labels: [] });
    const conversation = ports.conversation(issue.number);
    await conversation.reply("deploying");
    const id = await conversation.create("progress: 0/3");
    await conversation.update(id, "progress: 3/3");
    const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number });
    expect(data.map((c) => c.body)).toEqual(["deploying", "progress: 3/3"]);
    expect(data[1]?.id).toBe(id);
  });

  it("opens an issue with its labels", async () => {
    const opened = await ports.issues.openIssue({ title: "Post-mortem", body: "b", labels: ["post-mortem"] });
    const { data } = await octokit.rest.issues.get({ ...repo, issue_number: opened.number });
    expect(data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["post-mortem"]);
    expect(await ports.issues.getIssue(opened.number)).toEqual({
      state: "open",
      title: "Post-mortem",
      isPull: false,
    });
    expect(await ports.issues.getIssue(99999)).toBeUndefined();
  });
});

describe("smoke tests over the workflows port", () => {
  it("dispatches the workflow, finds the run it started, and waits for its conclusion", async () => {
    const seen: string[] = [];
    const smoke = createGitHubPorts(octokit, repo, undefined, {
      smoke: {
        pollMs: 10,
        // While the app waits, CI finishes the run.
        sleep: async () => {
          const run = sandbox.workflowRuns(NAME).at(-1);
          if (run && run.status !== "completed") await sandbox.completeWorkflowRun(NAME, run.id, "failure");
        },
      },
    }).smokeTests;
    const result = await smoke.run("smoke.yml", "main", { version: "1.2.0" }, 1000, async (url) => {
      seen.push(url);
    });
    expect(result).toMatchObject({ kind: "failed", conclusion: "failure" });
    expect(seen).toHaveLength(1);
    expect(result.kind === "failed" && result.url).toBe(seen[0]);
    expect(sandbox.workflowRuns(NAME).at(-1)?.inputs).toEqual({ version: "1.2.0" });
  });

  it("says the workflow could not be started when it does not exist", async () => {
    const result = await ports.smokeTests.run("missing.yml", "main", {}, 100);
    expect(result).toEqual({
      kind: "not-started",
      message: "workflow `missing.yml` could not be dispatched on `main`",
    });
  });
});
