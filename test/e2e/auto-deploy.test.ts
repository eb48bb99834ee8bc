import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

jest.setTimeout(180_000);

/** The guide's "Continuous Deployment": image runs deploy by themselves, through the real app. */
describe("auto-deploy through the real app, the sandbox GitHub and the fake cluster", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const deployments = async () =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "staging" })).data;
  const image = (name: string) =>
    e2e.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image;
  const settle = () => e2e.settle({ timeoutMs: 60_000 });
  /** CI runs the image workflow for a ref and it succeeds (→ workflow_run.completed). */
  const imagesBuilt = async (headBranch: string, headSha: string, event: string): Promise<number> => {
    const id = await e2e.sandbox.startWorkflowRun(e2e.repo, {
      workflow: "publish-images.yml",
      name: "Publish Docker Images",
      headSha,
      headBranch,
      event,
    });
    await e2e.sandbox.completeWorkflowRun(e2e.repo, id, "success");
    await settle();
    return id;
  };

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const config = (await e2e.sandbox.getFile(e2e.repo, "main", ".github/release-pilot.yml")) ?? "";
    await e2e.sandbox.pushCommit(e2e.repo, "admin", "main", "ci: staging deploys by itself", {
      ".github/release-pilot.yml": config.replace(
        "    timeoutSeconds: 120\n",
        "    timeoutSeconds: 120\n    autoDeploy: { releases: true, develop: { imageTag: 'sha-{shortSha}' } }\n",
      ),
    });
    await settle();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("deploys develop's head once its push run built the images, as the app, and only once per run", async () => {
    const sha = await e2e.sandbox.pushCommit(e2e.repo, "developer", "develop", "feat: faster scoring", {
      "BankChurn-Predictor/FAST.md": "fast\n",
    });
    await settle();
    const run = await imagesBuilt("develop", sha, "push");
    const short = sha.slice(0, 7);
    expect(image("bankchurn")).toBe(`ghcr.io/duqueom/bankchurn-api:sha-${short}`);
    const [record] = await deployments();
    expect(record).toMatchObject({ ref: sha, task: "deploy", creator: { type: "Bot" } });
    expect(record?.payload).toMatchObject({
      version: `sha-${short}`,
      auto: { trigger: "develop", run: `https://github.com/duqueom/ml-mlops-portfolio/actions/runs/${run}` },
    });
    const statuses = await e2e.admin.rest.repos.listDeploymentStatuses({
      ...repoRef,
      deployment_id: record?.id ?? 0,
    });
    expect(statuses.data.map((s) => s.state).reverse()).toEqual(["in_progress", "success"]);

    // GitHub delivers the same webhook again: nothing new.
    const delivery = e2e.sandbox.deliveries.findLast(
      (d) => d.event === "workflow_run" && d.action === "completed",
    );
    e2e.sandbox.redeliver(delivery?.id ?? "");
    await settle();
    expect(await deployments()).toHaveLength(1);
  });

  it("deploys a release once its image run on the tag succeeds; a locked staging is left alone without a comment", async () => {
    const main = (await e2e.sandbox.getRef(e2e.repo, "heads/main")) ?? "";
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main });
    await imagesBuilt("v1.2.0", main, "workflow_dispatch");
    expect(image("telecom")).toBe("ghcr.io/duqueom/telecom-api:1.2.0");
    const [record] = await deployments();
    expect(record).toMatchObject({
      ref: "v1.2.0",
      payload: { version: "1.2.0", auto: { trigger: "release" } },
    });

    const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: "incident" });
    e2e.sandbox.comment(e2e.repo, issue, "maintainer", "/lock staging incident");
    await settle();
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.1", sha: main });
    const comments = e2e.sandbox.issue(e2e.repo, issue).comments.length;
    await imagesBuilt("v1.2.1", main, "workflow_dispatch");
    expect(await deployments()).toHaveLength(2);
    expect(image("telecom")).toBe("ghcr.io/duqueom/telecom-api:1.2.0");
    expect(e2e.sandbox.issue(e2e.repo, issue).comments).toHaveLength(comments);
    expect(e2e.sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
});
