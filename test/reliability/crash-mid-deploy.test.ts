import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { SAMPLE_NAME, SAMPLE_OWNER } from "../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import type { FakeCluster } from "../../sandbox/kubernetes/index.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { seedSample, startSampleCluster, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import { endState } from "./support/end-state.js";

/**
 * The app in a child process (as `npm start` runs it), killed or stopped while a rollout is
 * under way, then started again on the same sandbox GitHub and fake cluster. The cluster is held
 * still (no controller ticks) until the app is down, so the stop always lands mid-rollout. One
 * sandbox serves the file; each test deploys its own version to `staging` and stops its processes.
 */
jest.setTimeout(120_000);

const FINAL = ["success", "failure", "error", "inactive"];
const repoRef = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };

interface Stage {
  sandbox: GitHubSandbox;
  cluster: FakeCluster;
  admin: InstanceType<typeof TestOctokit>;
  repo: string;
  apps: AppProcess[];
  start(instance: string, env?: Record<string, string>): Promise<AppProcess>;
  /** SIGKILL whatever still runs. */
  stopApps(): Promise<void>;
  close(): Promise<void>;
}

/** Short claims (the 10 s timeout + 2 s) and quick looks at them; one second of grace on SIGTERM. */
const SETTINGS = {
  RELEASE_PILOT_CLAIM_MARGIN_SECONDS: "2",
  RELEASE_PILOT_CLAIM_RECHECK_SECONDS: "0.2",
  RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS: "1",
};

const VERSIONS = ["1.2.0", "1.3.0", "1.3.1", "1.4.0"];

const startStage = async (): Promise<Stage> => {
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({ webhook: target });
  const cluster = await startSampleCluster();
  const admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  await seedSample(sandbox, admin);
  const repo = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;
  // The smallest timeout the config takes, so a claim left by a killed app expires in 10 s.
  const config = (await sandbox.getFile(repo, "main", ".github/release-pilot.yml")) ?? "";
  expect(config).toContain("timeoutSeconds: 120");
  await sandbox.pushCommit(repo, "admin", "main", "ci: short deploy timeouts", {
    ".github/release-pilot.yml": config.replace("timeoutSeconds: 120", "timeoutSeconds: 10"),
  });
  const main = await sandbox.getRef(repo, "heads/main");
  for (const version of VERSIONS)
    await admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
  await sandbox.settled({ timeoutMs: 30_000 });
  cluster.stopTicking();
  const apps: AppProcess[] = [];
  const stopApps = async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop("SIGKILL")));
  };
  return {
    sandbox,
    cluster,
    admin,
    repo,
    apps,
    async start(instance, env = {}) {
      const app = await startAppProcess({
        sandboxUrl: sandbox.url,
        clusterUrl: cluster.url,
        instance,
        env: { ...SETTINGS, ...env },
      });
      apps.push(app);
      target.url = app.webhookUrl; // the sandbox delivers to the newest process
      return app;
    },
    stopApps,
    async close() {
      await stopApps();
      await sandbox.close();
      await cluster.close();
    },
  };
};

let s: Stage;
beforeAll(async () => {
  s = await startStage();
});
afterEach(async () => {
  await s.stopApps();
  s.cluster.stopTicking();
  s.cluster.healImages();
});
afterAll(async () => {
  await s?.close();
});

const image = (s: Stage, name: string) =>
  s.cluster.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";
const deploysOf = (s: Stage, version: string) =>
  s.sandbox
    .deployments(s.repo)
    .filter((d) => d.environment === "staging" && d.task === "deploy" && d.ref === `v${version}`);
const states = (s: Stage, id: number) =>
  (s.sandbox.deployments(s.repo).find((d) => d.id === id)?.statuses ?? []).map((x) => x.state);
const ref = (s: Stage, name: string) => s.sandbox.getRef(s.repo, `refs/release-pilot/${name}`);
const botReplies = (s: Stage, issue: number) =>
  s.sandbox
    .issue(s.repo, issue)
    .comments.filter((c) => c.user.type === "Bot")
    .map((c) => c.body);
const describeApps = (s: Stage) => s.apps.map((a) => `--- ${a.instance}\n${a.output()}`).join("\n");

/** `/deploy staging <version>` by a developer; resolves once the rollout is patched in and watched. */
const deployUntilMidRollout = async (s: Stage, version: string): Promise<{ issue: number; id: number }> => {
  const issue = await s.sandbox.openIssue(s.repo, "developer", { title: `ship ${version} to staging` });
  s.sandbox.comment(s.repo, issue, "developer", `/deploy staging ${version}`);
  const record = await until("the rollout under way", async () => {
    const d = deploysOf(s, version)[0];
    if (!d || states(s, d.id).at(-1) !== "in_progress" || !image(s, "bankchurn").endsWith(`:${version}`))
      return;
    // Claimed by the record it created (its payload's `watch`): no claim ref on this path.
    return (d.payload as { watch?: unknown }).watch && !(await ref(s, `watch/deployment-${d.id}`))
      ? d
      : undefined;
  });
  return { issue, id: record.id };
};

/** The end every run must reach: one final status, one report, the lock and the claim gone. */
const expectConcludedOnce = async (s: Stage, issue: number, id: number, final: string) => {
  await until(
    "the deployment concluded, its lock and claim released",
    async () =>
      FINAL.includes(states(s, id).at(-1) ?? "") &&
      !(await ref(s, "locks/staging")) &&
      !(await ref(s, `watch/deployment-${id}`)),
    60_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; statuses ${states(s, id).join(",")}\n${describeApps(s)}`);
  });
  await s.sandbox.settled({ timeoutMs: 30_000 });
  expect(states(s, id).filter((x) => FINAL.includes(x))).toEqual([final]);
  const reports = botReplies(s, issue).filter((b) => /^(✅|❌|⚠️)/u.test(b));
  expect(reports).toHaveLength(1);
  const version = /\*\*(.+?)\*\*/.exec(reports[0] ?? "")?.[1] ?? "";
  expect(deploysOf(s, version)).toHaveLength(1);
  expect(s.sandbox.violations).toEqual([]);
  return reports[0] ?? "";
};

describe("the app process killed during a rollout and restarted", () => {
  it("under the same instance name, takes its claim back at once and concludes the rollout, reported once; redelivered webhooks change nothing", async () => {
    const first = await s.start("pod-a");
    const delivered = s.sandbox.deliveries.length;
    const { issue, id } = await deployUntilMidRollout(s, "1.2.0");
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    expect(states(s, id)).toEqual(["in_progress"]);
    expect(await ref(s, "locks/staging")).toBeDefined();

    s.cluster.startTicking(5);
    await s.start("pod-a");
    const report = await expectConcludedOnce(s, issue, id, "success");
    expect(report).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(s, name)).toMatch(/:1\.2\.0$/);

    // Everything the /deploy comment caused, delivered again to the restarted app.
    const once = await endState(s.sandbox, s.admin, s.repo);
    const writes = () => s.cluster.requests.filter((r) => r.method !== "GET").length;
    const clusterWrites = writes();
    for (const d of s.sandbox.deliveries.slice(delivered)) s.sandbox.redeliver(d.id);
    await s.sandbox.settled({ timeoutMs: 30_000 });
    await until("no lock taken again", async () => !(await ref(s, "locks/staging")));
    expect(await endState(s.sandbox, s.admin, s.repo)).toEqual(once);
    expect(writes()).toBe(clusterWrites);
  });

  it("under a new name (a new pod), takes the rollout over once the dead app's claim expires; a bad image is rolled back", async () => {
    s.cluster.failImages(/:1\.3\.0$/);
    await s.start("pod-a");
    const { issue, id } = await deployUntilMidRollout(s, "1.3.0");
    // The claim is the record's: its payload names the instance and the expiry.
    const claimed = (s.sandbox.deployments(s.repo).find((d) => d.id === id)?.payload ?? {}) as {
      watch?: { holder: string; expires: string };
    };
    const expires = Date.parse(claimed.watch?.expires ?? "");
    expect(claimed.watch?.holder).toBe("pod-a");
    await s.apps[0]?.stop("SIGKILL");

    s.cluster.startTicking(5);
    await s.start("pod-b");
    const report = await expectConcludedOnce(s, issue, id, "failure");
    // pod-b waited for the claim to end: it did nothing to the rollout before then.
    const failedAt = Date.parse(
      s.sandbox
        .deployments(s.repo)
        .find((d) => d.id === id)
        ?.statuses.at(-1)?.createdAt ?? "",
    );
    // GitHub dates statuses to the second: compare at that precision.
    expect(failedAt).toBeGreaterThanOrEqual(Math.floor(expires / 1000) * 1000);
    expect(report).toContain("❌ Deploy of **1.3.0** to `staging` failed");
    expect(report).toContain("Rolled back automatically");
    // Back on the last version verified good there (the previous test's).
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(s, name)).toMatch(/:1\.2\.0$/);
    const rollback = s.sandbox.deployments(s.repo).find((d) => d.task === "deploy:auto-rollback");
    expect(rollback?.statuses.at(-1)?.state).toBe("success");
  });
});

describe("the app process stopped (SIGTERM) during a rollout", () => {
  it("exits 0 within its grace period, leaving the rollout to the restarted process, which concludes it", async () => {
    const first = await s.start("pod-a");
    const { issue, id } = await deployUntilMidRollout(s, "1.3.1");
    const asked = Date.now();
    expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(8_000); // 1 s of grace, then the hand-over
    expect(first.output()).toContain("handed over to the next instance");
    // Handed over: the record's claim ended by a claim ref that has expired already; the lock and
    // the Deployment record kept for the next driver.
    const ended = await s.admin.rest.git.getCommit({
      ...repoRef,
      commit_sha: (await ref(s, `watch/deployment-${id}`)) ?? "",
    });
    expect(ended.data.message).toContain("holder: pod-a");
    expect(Date.parse(/^expires: (.+)$/m.exec(ended.data.message)?.[1] ?? "")).toBeLessThanOrEqual(
      Date.now(),
    );
    expect(await ref(s, "locks/staging")).toBeDefined();
    expect(states(s, id)).toEqual(["in_progress"]);

    s.cluster.startTicking(5);
    await s.start("pod-a");
    const report = await expectConcludedOnce(s, issue, id, "success");
    expect(report).toContain("succeeded");
  });

  it("with a second replica running, that replica takes the handed-over rollout at once and it is driven once", async () => {
    // Claims that last (a minute past the timeout): here only the hand-over may free one.
    const lasting = { RELEASE_PILOT_CLAIM_MARGIN_SECONDS: "60" };
    const first = await s.start("pod-a", lasting);
    const { issue, id } = await deployUntilMidRollout(s, "1.4.0");
    // A second replica starts: the rollout is pod-a's (a live claim), so it only keeps an eye on it.
    const second = await s.start("pod-b", lasting);
    await until("pod-b looking at pod-a's claim", () =>
      second.output().includes("looking again when its claim ends"),
    );
    expect(states(s, id)).toEqual(["in_progress"]);

    const asked = Date.now();
    expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    s.cluster.startTicking(5);
    const report = await expectConcludedOnce(s, issue, id, "success");
    // Long before pod-a's claim would have expired: taken over as soon as it was released.
    expect(Date.now() - asked).toBeLessThan(30_000);
    expect(report).toContain("succeeded");
    // Driven once after the hand-over, by pod-b: the record says in progress already, so no
    // second in_progress.
    expect(states(s, id)).toEqual(["in_progress", "success"]);
    expect(second.output()).not.toContain("already watched by another instance");
  });
});
