import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { SAMPLE_NAME, SAMPLE_OWNER } from "../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import type { FakeCluster } from "../../sandbox/kubernetes/index.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { seedSample, startSampleCluster, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";

/**
 * The app in a child process (as `npm start` runs it), SIGKILLed in the middle of a manual
 * `/canary` (the canary Deployments patched, the rollout not yet done, no reply sent), then started
 * again on the same sandbox GitHub and fake cluster. A manual canary keeps no state in the app:
 * the `-canary` Deployments are the canary, so `/status` shows it from the cluster, and the lock
 * the killed run left is cleared as stale once it is older than one rollout (the environment's
 * `timeoutSeconds` plus the claim margin, here 10 s + 2 s) with nothing in flight.
 */
jest.setTimeout(120_000);

const repoRef = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };
const SETTINGS = {
  RELEASE_PILOT_CLAIM_MARGIN_SECONDS: "2",
  RELEASE_PILOT_CLAIM_RECHECK_SECONDS: "0.2",
  RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS: "1",
};
const SERVICES = ["bankchurn", "carvision", "telecom"];

let sandbox: GitHubSandbox;
let cluster: FakeCluster;
let repo: string;
const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
const apps: AppProcess[] = [];

beforeAll(async () => {
  sandbox = await startGitHubSandbox({ webhook: target });
  cluster = await startSampleCluster();
  const admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  await seedSample(sandbox, admin);
  repo = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;
  // The smallest timeout the config takes for production, so one rollout's time is 12 s.
  const config = (await sandbox.getFile(repo, "main", ".github/release-pilot.yml")) ?? "";
  expect(config).toContain("timeoutSeconds: 300");
  await sandbox.pushCommit(repo, "admin", "main", "ci: short production timeout", {
    ".github/release-pilot.yml": config.replace("timeoutSeconds: 300", "timeoutSeconds: 10"),
  });
  const main = await sandbox.getRef(repo, "heads/main");
  await admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.3.0", sha: main ?? "" });
  await sandbox.settled({ timeoutMs: 30_000 });
});
afterAll(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop("SIGKILL")));
  await sandbox?.close();
  await cluster?.close();
});

const start = async (instance: string): Promise<AppProcess> => {
  const app = await startAppProcess({
    sandboxUrl: sandbox.url,
    clusterUrl: cluster.url,
    instance,
    env: SETTINGS,
  });
  apps.push(app);
  target.url = app.webhookUrl; // the sandbox delivers to the newest process
  return app;
};
const deployment = (name: string) => cluster.getDeployment("ml-production", name);
const image = (name: string) => deployment(name)?.spec.template.spec.containers[0]?.image ?? "";
const lockRef = () => sandbox.getRef(repo, "refs/release-pilot/locks/production");
const botReplies = (issue: number) =>
  sandbox
    .issue(repo, issue)
    .comments.filter((c) => c.user.type === "Bot")
    .map((c) => c.body);
const promotions = () =>
  sandbox.deployments(repo).filter((d) => d.environment === "production" && d.ref === "v1.3.0");
/** A maintainer's command on a new issue; the bot's replies once `count` of them are there. */
const say = async (body: string, count: number): Promise<string[]> => {
  const issue = await sandbox.openIssue(repo, "maintainer", { title: body });
  sandbox.comment(repo, issue, "maintainer", body);
  return until(
    `${count} replies to ${body}`,
    () => {
      const replies = botReplies(issue);
      return replies.length >= count ? replies : undefined;
    },
    90_000,
  );
};

describe("the app killed in the middle of a /canary rollout and restarted", () => {
  it("/status shows the canary, /promote clears the dead run's lock as stale and promotes once; no duplicate record or reply", async () => {
    cluster.stopTicking(); // held still: the rollout cannot finish before the kill
    const first = await start("pod-a");
    const asked = Date.now();
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "canary 1.3.0" });
    sandbox.comment(repo, issue, "maintainer", "/canary production 1.3.0");
    await until(
      "every canary Deployment patched",
      async () =>
        SERVICES.every(
          (s) =>
            image(`${s}-canary`) === `ghcr.io/duqueom/${s}-api:1.3.0` &&
            deployment(`${s}-canary`)?.spec.replicas === 1,
        ) && (await lockRef()) !== undefined,
    );
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    expect(await lockRef()).toBeDefined();

    cluster.startTicking(5);
    await start("pod-a");
    const [status] = await say("/status production", 1);
    for (const s of SERVICES) expect(status).toContain(`\`ghcr.io/duqueom/${s}-api:1.3.0\` × 1`);
    expect(status).toMatch(
      /🔒 Locked by @maintainer since `[^`]+` \([^)]*taken by a deploy\): `canary 1\.3\.0`/,
    );

    // Older than one rollout (10 s + 2 s) with nothing in flight: the holder is gone. Counted
    // from the lock's own date, which a loaded machine may put seconds after the command.
    const since = Date.parse(/Locked by @maintainer since `([^`]+)`/.exec(status ?? "")?.[1] ?? "");
    expect(since).toBeGreaterThanOrEqual(asked - 1000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, since + 13_000 - Date.now())));
    const replies = await say("/promote production", 2);
    expect(replies[0]).toMatch(
      /^🧹 Cleared a stale lock on `production` \(held by @maintainer since `[^`]+`: `canary 1\.3\.0`\): its holder's time ran out[^\n]*\n\n🐤 Promotion of \*\*1\.3\.0\*\* on `production` started/,
    );
    expect(replies[1]).toContain("✅ Promotion of **1.3.0** on `production` done");
    for (const s of SERVICES) {
      expect(image(s)).toBe(`ghcr.io/duqueom/${s}-api:1.3.0`);
      expect(deployment(`${s}-canary`)?.spec.replicas).toBe(0);
    }
    await until("the lock given back", async () => (await lockRef()) === undefined);
    await sandbox.settled({ timeoutMs: 30_000 });
    expect(promotions()).toHaveLength(1);
    expect(promotions()[0]?.statuses.map((x) => x.state)).toEqual(["success"]);
    // The killed run's reply is lost (it keeps no state to resume from); the restart adds none.
    expect(botReplies(issue)).toHaveLength(1);
    expect(botReplies(issue)[0]).toContain("🐤 Canary of **1.3.0** on `production` started");
    expect(sandbox.violations).toEqual([]);

    // A re-run after the promotion changes nothing and duplicates nothing.
    const again = await say("/promote production", 1);
    expect(again[0]).toMatch(/^No canary is running on `production`/);
    expect(promotions()).toHaveLength(1);
  });
});
