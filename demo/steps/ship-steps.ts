import { type DemoStep, expectThat } from "../demo-context.js";

/** Steps 5, 6, 7 and 10 of the release guide, then its hotfix process. */
export const shipSteps: DemoStep[] = [
  {
    title: "The maintainer merges the release PR: tag, draft release, image workflow, back-merge",
    run: async ({ sandbox, repo, memory, lastBotComment }) => {
      const pull = memory.get("releasePull") as number;
      const developBefore = await sandbox.getRef(repo, "heads/develop");
      const merge = await sandbox.mergePullRequest(repo, pull, "maintainer");
      await sandbox.settled({ timeoutMs: 120_000 });
      const tag = await sandbox.getTag(repo, "v1.2.0");
      expectThat(tag?.commit === merge, "v1.2.0 is not on the merge commit");
      expectThat(tag?.annotated?.message.trim() === "Release version 1.2.0", "the tag is not annotated");
      const release = sandbox.releases(repo).find((r) => r.tagName === "v1.2.0");
      expectThat(release?.draft === true, "no draft release v1.2.0");
      expectThat(
        (release?.body ?? "").includes("- `ghcr.io/duqueom/bankchurn-api`: `1.2.0`, `1.2`, `1`, `latest`"),
        "the images are not listed with their expected tags",
      );
      const develop = await sandbox.commits(repo, "develop");
      expectThat(develop[0]?.parents.includes(developBefore ?? "") === true, "develop was not back-merged");
      const issue = sandbox.issue(repo, memory.get("issue") as number);
      expectThat(issue.state === "closed", "the release issue was not closed");
      const run = sandbox.workflowRuns(repo).find((r) => r.event === "workflow_dispatch");
      expectThat(run !== undefined, "the image workflow was not dispatched");
      memory.set("imageRun", run?.id);
      return `${lastBotComment(pull)}\n\n--- draft release "${release?.name ?? ""}" ---\n${release?.body ?? ""}`;
    },
  },
  {
    title: "The image workflow completes: the release records the published tags",
    run: async ({ sandbox, repo, memory }) => {
      await sandbox.completeWorkflowRun(repo, memory.get("imageRun") as number, "success");
      await sandbox.settled({ timeoutMs: 120_000 });
      const body = sandbox.releases(repo).find((r) => r.tagName === "v1.2.0")?.body ?? "";
      expectThat(body.includes("✅ Published by the [workflow run]"), "the published run is not recorded");
      expectThat(
        body.includes("- `ghcr.io/duqueom/telecom-api`: `1.2.0`, `1.2`, `1`, `latest`"),
        "the image tags are not recorded",
      );
      expectThat(body.split("ghcr.io/duqueom/telecom-api").length === 2, "an image is listed twice");
      expectThat(
        body.trimEnd().split("\n").at(-1)?.startsWith("**Full Changelog**") === true,
        "the Full Changelog footer is not last",
      );
      return body
        .split("\n")
        .filter((line) => line.includes("ghcr.io/duqueom/bankchurn-api"))
        .join("\n");
    },
  },
  {
    title: "A production bug: the maintainer labels an issue `hotfix`",
    run: async ({ sandbox, repo, memory, lastBotComment }) => {
      const issue = await sandbox.openIssue(repo, "maintainer", {
        title: "Fix auth token expiry in TelecomAI",
      });
      memory.set("hotfixIssue", issue);
      await sandbox.label(repo, issue, "maintainer", "hotfix");
      await sandbox.settled({ timeoutMs: 120_000 });
      const branch = `hotfix/${issue}-fix-auth-token-expiry-in-telecomai`;
      const head = await sandbox.getRef(repo, `heads/${branch}`);
      const tag = await sandbox.getTag(repo, "v1.2.0");
      expectThat(head !== undefined && head === tag?.commit, `${branch} was not cut from v1.2.0`);
      memory.set("hotfixBranch", branch);
      return lastBotComment(issue);
    },
  },
  {
    title: "A developer pushes the fix and opens the PR: the bot adds the patch bump",
    run: async ({ sandbox, repo, memory }) => {
      const branch = memory.get("hotfixBranch") as string;
      const issue = memory.get("hotfixIssue") as number;
      await sandbox.pushCommit(repo, "developer", branch, "fix(telecom): refresh expired auth tokens", {
        "TelecomAI-Customer-Intelligence/src/telecom/auth.py": "TOKEN_TTL_SECONDS = 3600\n",
      });
      const pull = await sandbox.openPullRequest(repo, "developer", {
        head: branch,
        base: "main",
        title: "Fix auth token expiry in TelecomAI",
        body: `Fixes #${issue}`,
      });
      memory.set("hotfixPull", pull);
      await sandbox.settled({ timeoutMs: 120_000 });
      const commits = await sandbox.commits(repo, branch);
      const pyproject = await sandbox.getFile(repo, branch, "TelecomAI-Customer-Intelligence/pyproject.toml");
      expectThat(pyproject?.includes('version = "1.2.1"') === true, "the patch bump is missing");
      return `${commits[0]?.message.split("\n")[0] ?? ""}\nversion files now say 1.2.1`;
    },
  },
  {
    title: "The hotfix PR is merged: v1.2.1 is tagged, drafted and back-merged",
    run: async ({ sandbox, repo, memory }) => {
      // The demo's protection requires Release readiness on release PRs only.
      sandbox.protectBranch(repo, "main", { requiredChecks: [] });
      const merge = await sandbox.mergePullRequest(repo, memory.get("hotfixPull") as number, "maintainer");
      await sandbox.settled({ timeoutMs: 120_000 });
      const tag = await sandbox.getTag(repo, "v1.2.1");
      expectThat(tag?.commit === merge, "v1.2.1 is not on the merge commit");
      const release = sandbox.releases(repo).find((r) => r.tagName === "v1.2.1");
      expectThat(release !== undefined, "no release v1.2.1");
      return `tag v1.2.1: ${tag?.annotated?.message.trim() ?? ""}\nrelease "${release?.name ?? ""}" (draft: ${String(release?.draft)})`;
    },
  },
];
