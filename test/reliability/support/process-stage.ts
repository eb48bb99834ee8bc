import { SAMPLE_NAME, SAMPLE_OWNER } from "../../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../../sandbox/github/index.js";
import type { FakeCluster } from "../../../sandbox/kubernetes/index.js";
import { seedSample, startSampleCluster, WEBHOOK_SECRET } from "../../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../../sandbox/harness/test-octokit.js";
import { type AppProcess, startAppProcess } from "../../../sandbox/harness/app-process.js";

/**
 * The sandbox GitHub with the sample monorepo, optionally the fake cluster, and the app as
 * `npm start` runs it in child processes a test can SIGKILL and start again (the sandbox delivers
 * to the newest process), as crash-mid-deploy.test.ts does it.
 */
export interface ProcessStage {
  sandbox: GitHubSandbox;
  cluster: FakeCluster | undefined;
  admin: InstanceType<typeof TestOctokit>;
  repo: string;
  apps: AppProcess[];
  start(instance: string, env?: Record<string, string>): Promise<AppProcess>;
  /** SIGKILL whatever still runs. */
  stopApps(): Promise<void>;
  /** The bot's comments on an issue, oldest first. */
  botReplies(issue: number): string[];
  /** What every process printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export const repoRef = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };

/** Short claims (a 10 s timeout + 2 s) and quick looks at them; one second of grace on SIGTERM. */
const SETTINGS = {
  RELEASE_PILOT_CLAIM_MARGIN_SECONDS: "2",
  RELEASE_PILOT_CLAIM_RECHECK_SECONDS: "0.2",
  RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS: "1",
};

export const startProcessStage = async (
  options: { kubernetes?: boolean; tags?: string[] } = {},
): Promise<ProcessStage> => {
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({ webhook: target });
  const cluster = options.kubernetes ? await startSampleCluster() : undefined;
  const admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  await seedSample(sandbox, admin);
  const repo = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;
  if (cluster) {
    // The smallest timeout the config takes, so a claim left by a killed app expires in 10 s.
    const config = (await sandbox.getFile(repo, "main", ".github/release-pilot.yml")) ?? "";
    if (!config.includes("timeoutSeconds: 120")) throw new Error("the sample config changed its timeouts");
    await sandbox.pushCommit(repo, "admin", "main", "ci: short deploy timeouts", {
      ".github/release-pilot.yml": config.replaceAll("timeoutSeconds: 120", "timeoutSeconds: 10"),
    });
  }
  const main = await sandbox.getRef(repo, "heads/main");
  for (const version of options.tags ?? [])
    await admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
  await sandbox.settled({ timeoutMs: 30_000 });
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
        ...(cluster ? { clusterUrl: cluster.url } : {}),
        instance,
        env: { ...SETTINGS, ...env },
      });
      apps.push(app);
      target.url = app.webhookUrl;
      return app;
    },
    stopApps,
    botReplies: (issue) =>
      sandbox
        .issue(repo, issue)
        .comments.filter((c) => c.user.type === "Bot")
        .map((c) => c.body),
    output: () => apps.map((a) => `--- ${a.instance}\n${a.output()}`).join("\n"),
    async close() {
      await stopApps();
      await sandbox.close();
      await cluster?.close();
    },
  };
};
