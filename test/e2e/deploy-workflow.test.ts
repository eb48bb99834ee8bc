import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

jest.setTimeout(180_000);

const DEPLOY_WORKFLOW = `name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment: { required: true }
      version: { required: true }
      deployment_id: { required: true }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./scripts/deploy.sh "\${{ inputs.environment }}" "\${{ inputs.version }}"
`;

/** An environment deployed by a GitHub Actions workflow, through the real app and the sandbox. */
describe("the workflow driver through the real app and the sandbox GitHub", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };

  const deployments = async () =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "web" })).data;
  const statuses = async (id: number) =>
    (await e2e.admin.rest.repos.listDeploymentStatuses({ ...repoRef, deployment_id: id })).data.reverse();
  /** Comment, let the app dispatch, finish the run as CI would, and return the replies. */
  const sayAndRun = async (user: string, body: string, conclusion: string): Promise<string[]> => {
    const before = e2e.sandbox.workflowRuns(e2e.repo).length;
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: body });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    const deadline = Date.now() + 60_000;
    while (e2e.sandbox.workflowRuns(e2e.repo).length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const run = e2e.sandbox.workflowRuns(e2e.repo).at(-1);
    expect(run?.workflowPath).toBe(".github/workflows/deploy.yml");
    // The app finds the run while it is queued: the Deployment is in_progress before it ends.
    while (Date.now() < deadline) {
      const [newest] = await deployments();
      if ((await statuses(newest?.id ?? 0)).some((x) => x.state === "in_progress")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await e2e.sandbox.completeWorkflowRun(e2e.repo, run?.id ?? 0, conclusion);
    await e2e.settle({ timeoutMs: 60_000 });
    return e2e.repliesTo(issue, user);
  };

  beforeAll(async () => {
    e2e = await startEndToEnd();
    const config = (await e2e.sandbox.getFile(e2e.repo, "main", ".github/release-pilot.yml")) ?? "";
    await e2e.sandbox.pushCommit(e2e.repo, "admin", "main", "ci: deploy web with a workflow", {
      ".github/release-pilot.yml": config.replace(
        "environments:\n",
        "environments:\n  web:\n    driver: { workflow: deploy.yml }\n    url: https://web.ml.example.com\n    timeoutSeconds: 60\n",
      ),
      ".github/workflows/deploy.yml": DEPLOY_WORKFLOW,
    });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    for (const version of ["1.2.0", "1.3.0"])
      await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
    await e2e.sandbox.settled({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("deploys 1.2.0 by dispatching the workflow with its inputs; the run's URL is the Deployment's log", async () => {
    const replies = await sayAndRun("developer", "/deploy web 1.2.0", "success");
    expect(replies[0]).toContain("🚢 Deploying **1.2.0** to `web` with the workflow `deploy.yml` on `main`");
    const [record] = await deployments();
    expect(record).toMatchObject({ ref: "v1.2.0", task: "deploy" });
    expect(record?.payload).toMatchObject({
      version: "1.2.0",
      driver: { kind: "workflow", workflow: "deploy.yml" },
    });
    const run = e2e.sandbox.workflowRuns(e2e.repo).at(-1);
    expect(run).toMatchObject({
      event: "workflow_dispatch",
      headBranch: "main",
      inputs: { environment: "web", version: "1.2.0", deployment_id: String(record?.id) },
    });
    const runUrl = `https://github.com/duqueom/ml-mlops-portfolio/actions/runs/${run?.id}`;
    const states = await statuses(record?.id ?? 0);
    expect(states.map((s) => s.state)).toEqual(["queued", "in_progress", "success"]);
    expect(states.slice(1).map((s) => s.log_url)).toEqual([runUrl, runUrl]);
    expect(states[2]?.environment_url).toBe("https://web.ml.example.com");
    expect(replies.at(-1)).toBe(`✅ Deploy of **1.2.0** to \`web\` succeeded ([workflow run](${runUrl})).`);
    await expect(
      e2e.admin.rest.git.getRef({ ...repoRef, ref: "release-pilot/locks/web" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("records a failed run as a failed Deployment, then rolls back to 1.2.0 with the same workflow", async () => {
    const failed = await sayAndRun("developer", "/deploy web 1.3.0", "failure");
    expect(failed.at(-1)).toContain(
      "❌ Deploy of **1.3.0** to `web` failed: the workflow run concluded **failure**",
    );
    const rolled = await sayAndRun("developer", "/rollback web", "success");
    expect(rolled[0]).toContain("↩️ Rolling `web` back to **1.2.0** with the workflow `deploy.yml`");
    expect(rolled.at(-1)).toContain("✅ Rollback of `web` to **1.2.0** succeeded");
    expect(e2e.sandbox.workflowRuns(e2e.repo).at(-1)?.inputs).toMatchObject({ version: "1.2.0" });
    const [rollback, failedRecord] = await deployments();
    expect(rollback).toMatchObject({ task: "deploy:rollback", ref: "v1.2.0" });
    expect((await statuses(failedRecord?.id ?? 0)).map((s) => s.state)).toEqual([
      "queued",
      "in_progress",
      "failure",
    ]);
  });

  it("answers that the driver does not support /canary", async () => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, "developer", { title: "canary" });
    e2e.sandbox.comment(e2e.repo, issue, "developer", "/canary web 1.3.0");
    await e2e.sandbox.settled({ timeoutMs: 60_000 });
    const reply = e2e.sandbox.issue(e2e.repo, issue).comments.at(-1)?.body;
    expect(reply).toContain(
      "`web` is deployed by the workflow `deploy.yml`, whose driver does not support `/canary`",
    );
    expect(e2e.sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
