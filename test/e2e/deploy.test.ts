import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";
import { resumeInstalledRepos } from "../../src/composition/resume-installed-repos.js";
import type { AppServices } from "../../src/composition/services.js";
import { HeldWatches } from "../../src/use-cases/deploy/held-watches.js";

// Each step goes through the sandbox's real git and signed webhooks; on a loaded machine that
// takes longer than the default 30 s (no assertion depends on speed).
jest.setTimeout(180_000);

/** The release guide's steps 8 and 9 from comments: deploy, break, roll back; through the real app. */
describe("deploying from comments through the real app, the sandbox GitHub and the fake cluster", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };

  const tag = async (version: string) => {
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
  };
  /** Comment, then wait for the webhook, the background rollout and the webhooks it caused. */
  const say = async (user: string, body: string, title = body): Promise<string[]> => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    await e2e.settle();
    return e2e.repliesTo(issue, user);
  };
  const image = (ns: string, name: string) =>
    e2e.cluster?.getDeployment(ns, name)?.spec.template.spec.containers[0]?.image;
  const deployments = async (environment: string) =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment })).data;
  const states = async (id: number) =>
    (await e2e.admin.rest.repos.listDeploymentStatuses({ ...repoRef, deployment_id: id })).data
      .map((s) => s.state)
      .reverse();

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    await tag("1.2.0");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("deploys 1.2.0 to staging: Deployment record, statuses, images set, lock taken and given back", async () => {
    const replies = await say("developer", "/deploy staging 1.2.0");
    expect(replies[0]).toContain("Deploying **1.2.0** to `staging`");
    expect(replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    for (const name of ["bankchurn", "carvision", "telecom"])
      expect(image("ml-staging", name)).toMatch(
        new RegExp(`${name === "telecom" ? "telecom" : name}-api:1\\.2\\.0$`),
      );
    expect(image("ml-production", "bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    const [record] = await deployments("staging");
    expect(record).toMatchObject({ ref: "v1.2.0", task: "deploy", environment: "staging" });
    expect((record?.payload as { services: unknown[] }).services).toHaveLength(3);
    expect(await states(record?.id ?? 0)).toEqual(["in_progress", "success"]);
    const statuses = await e2e.admin.rest.repos.listDeploymentStatuses({
      ...repoRef,
      deployment_id: record?.id ?? 0,
    });
    expect(statuses.data[0]?.environment_url).toBe("https://staging.ml.example.com");
    await expect(
      e2e.admin.rest.git.getRef({ ...repoRef, ref: "release-pilot/locks/staging" }),
    ).rejects.toMatchObject({ status: 404 });
    expect(e2e.sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });

  it("refuses production to a developer, and deploys it for a maintainer", async () => {
    const refused = await say("developer", "/deploy production 1.2.0");
    expect(refused.at(-1)).toContain("needs the **maintain** permission");
    const replies = await say("maintainer", "/deploy production 1.2.0");
    expect(replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `production` succeeded");
    expect(image("ml-production", "telecom")).toBe("ghcr.io/duqueom/telecom-api:1.2.0");
    expect((await deployments("production"))[0]?.production_environment).toBe(true);
  });

  it("refuses an unreleased version in production", async () => {
    const replies = await say("maintainer", "/deploy production 1.3.0");
    expect(replies.at(-1)).toContain("takes released versions only");
    expect(image("ml-production", "bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
  });

  it("breaks a staging deploy and rolls back automatically to 1.2.0, with a post-mortem issue", async () => {
    e2e.cluster?.failImages(/:1\.3\.0$/);
    const replies = await say("developer", "/deploy staging 1.3.0");
    const final = replies.at(-1) ?? "";
    expect(final).toContain("❌ Deploy of **1.3.0** to `staging` failed");
    expect(final).toContain("exceeded its progress deadline");
    expect(final).toContain("Rolled back automatically");
    for (const name of ["bankchurn", "carvision", "telecom"])
      expect(image("ml-staging", name)).toMatch(/:1\.2\.0$/);
    const [rollback, failed] = await deployments("staging");
    expect(rollback).toMatchObject({ task: "deploy:auto-rollback", ref: "v1.2.0" });
    expect(await states(rollback?.id ?? 0)).toEqual(["in_progress", "success"]);
    expect(failed).toMatchObject({ task: "deploy", ref: "main" });
    expect(await states(failed?.id ?? 0)).toEqual(["in_progress", "failure"]);
    const issues = await e2e.admin.rest.issues.listForRepo({ ...repoRef, labels: "post-mortem" });
    expect(issues.data.map((i) => i.title)).toEqual(["Post-mortem: staging rolled back from 1.3.0 to 1.2.0"]);
    expect(issues.data[0]?.body).toContain("exceeded its progress deadline");
    expect(final).toContain(issues.data[0]?.html_url ?? "missing");
    e2e.cluster?.healImages();
  });

  it("locks staging for people to see, refuses a deploy meanwhile, and unlocks", async () => {
    const locked = await say("maintainer", "/lock staging incident 42");
    expect(locked.at(-1)).toContain("🔒 `staging` is locked by @maintainer: `incident 42`");
    const ref = await e2e.admin.rest.git.getRef({ ...repoRef, ref: "release-pilot/locks/staging" });
    const commit = await e2e.admin.rest.git.getCommit({ ...repoRef, commit_sha: ref.data.object.sha });
    expect(commit.data.message).toContain("holder: maintainer\nreason: incident 42");
    const refused = await say("developer", "/deploy staging 1.2.0");
    expect(refused.at(-1)).toContain("`staging` is locked by @maintainer");
    const status = await say("reader", "/status staging");
    expect(status.at(-1)).toContain("🔒 Locked by @maintainer");
    expect(status.at(-1)).toContain("| `bankchurn` | 1.2.0 | `ghcr.io/duqueom/bankchurn-api:1.2.0` |");
    const unlocked = await say("maintainer", "/unlock staging");
    expect(unlocked.at(-1)).toContain("🔓 `staging` is unlocked");
  });

  it("runs a canary of 1.3.0 in production and promotes it", async () => {
    await tag("1.3.0");
    const canary = await say("maintainer", "/canary production 1.3.0");
    expect(canary.at(-1)).toContain("✅ Canary of **1.3.0** on `production` done");
    expect(image("ml-production", "bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.3.0");
    expect(e2e.cluster?.getDeployment("ml-production", "bankchurn-canary")?.spec.replicas).toBe(1);
    expect(image("ml-production", "bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    const status = await say("maintainer", "/status production");
    expect(status.at(-1)).toContain("`ghcr.io/duqueom/bankchurn-api:1.3.0` × 1");
    const promoted = await say("maintainer", "/promote production");
    expect(promoted.at(-1)).toContain("✅ Promotion of **1.3.0** on `production` done");
    expect(image("ml-production", "telecom")).toBe("ghcr.io/duqueom/telecom-api:1.3.0");
    expect(e2e.cluster?.getDeployment("ml-production", "telecom-canary")?.spec.replicas).toBe(0);
    const [record] = await deployments("production");
    expect(record).toMatchObject({ ref: "v1.3.0", task: "deploy" });
    expect(await states(record?.id ?? 0)).toEqual(["success"]);
  });

  it("rolls production back by hand to 1.2.0 and opens its post-mortem", async () => {
    const replies = await say("maintainer", "/rollback production 1.2.0");
    expect(replies[0]).toContain("Rolling `production` back to **1.2.0**");
    expect(replies.at(-1)).toContain("↩️ `production` rolled back to **1.2.0**");
    expect(image("ml-production", "carvision")).toBe("ghcr.io/duqueom/carvision-api:1.2.0");
    const [record] = await deployments("production");
    expect(record).toMatchObject({ ref: "v1.2.0", task: "deploy:rollback" });
    const issues = await e2e.admin.rest.issues.listForRepo({ ...repoRef, labels: "post-mortem" });
    expect(issues.data.map((i) => i.title)).toContain(
      "Post-mortem: production rolled back from 1.3.0 to 1.2.0",
    );
  });

  it("scales a service in an emergency and records who did it", async () => {
    const replies = await say("maintainer", "/scale production bankchurn 6");
    expect(replies.at(-1)).toContain("scaled from 2 to 6 replicas by @maintainer");
    const d = e2e.cluster?.getDeployment("ml-production", "bankchurn");
    expect(d?.spec.replicas).toBe(6);
    expect(d?.metadata.annotations?.["release-pilot.io/last-scale"]).toMatch(/^2->6 by maintainer/);
    expect(e2e.sandbox.violations).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });

  it("resumes a deploy a crashed instance left in progress, with two instances restarting and one driving it", async () => {
    await tag("1.2.1");
    const issue = await e2e.sandbox.openIssue(e2e.repo, "developer", { title: "deploy 1.2.1" });
    const services = ["bankchurn", "carvision", "telecom"].map((name) => ({
      name,
      deployment: name,
      container: name,
      image: `ghcr.io/duqueom/${name}-api:1.2.1`,
      previousImage: `ghcr.io/duqueom/${name}-api:1.2.0`,
      previousHealthy: true,
    }));
    // What a crashed instance leaves behind: the Deployment in progress and the lock ref.
    const { data: created } = await e2e.admin.rest.repos.createDeployment({
      ...repoRef,
      ref: "v1.2.1",
      environment: "staging",
      auto_merge: false,
      required_contexts: [],
      payload: {
        app: "release-pilot",
        action: "deploy",
        version: "1.2.1",
        cluster: "staging",
        namespace: "ml-staging",
        services,
        issue,
        actor: "developer",
      },
    });
    const id = "id" in created ? created.id : 0;
    await e2e.admin.rest.repos.createDeploymentStatus({
      ...repoRef,
      deployment_id: id,
      state: "in_progress",
    });
    const { data: tree } = await e2e.admin.rest.git.createTree({
      ...repoRef,
      tree: [{ path: "lock.txt", mode: "100644", type: "blob", content: "x" }],
    });
    const lockText =
      "release-pilot lock: staging\n\nholder: developer\nreason: deploying 1.2.1\nsince: 2026-01-01T00:00:00.000Z\nkind: deploy\n";
    const { data: commit } = await e2e.admin.rest.git.createCommit({
      ...repoRef,
      message: lockText,
      tree: tree.sha,
      parents: [],
    });
    await e2e.admin.rest.git.createRef({
      ...repoRef,
      ref: "refs/release-pilot/locks/staging",
      sha: commit.sha,
    });

    // Two instances of the app: the same services but their own name and held claims.
    const instance = (name: string): AppServices => ({
      ...e2e.deps,
      instance: { ...e2e.deps.instance, instance: name },
      watches: new HeldWatches(),
    });
    const log = { info: () => undefined, error: () => undefined };
    const resume = (name: string) => resumeInstalledRepos(e2e.app.probot, instance(name), log, [repoRef]);
    await Promise.all([resume("a"), resume("b")]);
    await e2e.jobs.idle();
    await e2e.sandbox.settled();

    const all = await states(id);
    // The crashed run's; the one resumer finds the record in progress already and writes no second.
    expect(all.filter((s) => s === "in_progress")).toHaveLength(1);
    expect(all.at(-1)).toBe("success");
    expect(all.filter((s) => s === "success")).toHaveLength(1);
    expect(image("ml-staging", "telecom")).toBe("ghcr.io/duqueom/telecom-api:1.2.1");
    const replies = e2e.sandbox.issue(e2e.repo, issue).comments.map((c) => c.body);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("✅ Deploy of **1.2.1** to `staging` succeeded");
    await expect(
      e2e.admin.rest.git.getRef({ ...repoRef, ref: "release-pilot/locks/staging" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      e2e.admin.rest.git.getRef({ ...repoRef, ref: `release-pilot/watch/deployment-${id}` }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
