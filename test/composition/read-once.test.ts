import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { pino } from "pino";
import { httpProbe } from "../../src/adapters/jobs/http-probe.js";
import { JobTracker } from "../../src/adapters/jobs/job-tracker.js";
import { createPrometheusMetrics } from "../../src/adapters/metrics/prometheus.js";
import { composeApp } from "../../src/composition/compose-app.js";
import { type RunningServer, startServer } from "../../src/composition/server.js";
import { settingsFromEnv } from "../../src/composition/settings.js";
import { once, type Route } from "../../src/handlers/routes.js";
import { routes } from "../../src/index.js";
import { staticClusterProvider } from "../../src/ports/cluster-provider.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import {
  sandboxOperatorSettings,
  seedSample,
  settledWithApp,
  WEBHOOK_SECRET,
} from "../../sandbox/harness/e2e.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import { SAMPLE_REPO } from "../../sandbox/sample/sample-repo.js";

// A real server against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(120_000);

/**
 * A comment delivery goes through the webhook pre-filter (verified, parsed, routed), the
 * background deliveries (redelivery guard, per-repository queue) and Probot's listener. The
 * comment route's reader, which parses the comment's Markdown, is wrapped to count its calls:
 * each delivery is read once on that whole way, the reading handed from one to the next.
 */
describe("a delivery's payload is read once from the pre-filter to the handler", () => {
  const parsed: string[] = [];
  let sandbox: GitHubSandbox;
  let app: RunningServer;
  let jobs: JobTracker;

  /** The routing table with the comment route's module reader counting what it reads. */
  const countingRoutes = (): Route[] =>
    routes.map((r) =>
      r.event !== "issue_comment.created"
        ? r
        : {
            ...r,
            load: once(async () => {
              const handler = await r.load();
              return {
                ...handler,
                read: (payload: never) => {
                  parsed.push((payload as { comment: { body: string } }).comment.body);
                  return handler.read(payload);
                },
              };
            }),
          },
    );

  beforeAll(async () => {
    const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
    sandbox = await startGitHubSandbox({ webhook: target });
    jobs = new JobTracker({ error: (fields, message) => console.error(message, fields) });
    const operator = sandboxOperatorSettings();
    const settings = await settingsFromEnv({});
    const composed = composeApp(countingRoutes(), settings, {
      clusters: staticClusterProvider({}),
      jobs,
      metrics: createPrometheusMetrics({ processMetrics: false }),
      probe: httpProbe(operator.outbound, 2000),
      instance: { ...settings.instance, instance: "read-once" },
      operator,
      appId: 777,
    });
    app = await startServer({
      app: composed,
      appId: 777,
      privateKey: testPrivateKey(),
      webhookSecret: WEBHOOK_SECRET,
      baseUrl: sandbox.url,
      port: 0,
      host: "127.0.0.1",
      log: pino({ level: process.env.E2E_LOG ?? "silent" }),
      resumeDeploys: false,
      Octokit: TestOctokit,
    });
    target.url = app.webhookUrl;
    settledWithApp(sandbox, () => [app]);
    await seedSample(sandbox, new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url }));
    await sandbox.settled({ timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await jobs?.idle();
    await app?.close();
    await sandbox?.close();
  });

  const botReplies = (issue: number) =>
    sandbox.issue(SAMPLE_REPO, issue).comments.filter((c) => c.user.type === "Bot");

  it("parses a command's comment once, and the command runs", async () => {
    const issue = await sandbox.openIssue(SAMPLE_REPO, "developer", { title: "How do I use the bot?" });
    await sandbox.settled({ timeoutMs: 60_000 });
    parsed.length = 0;
    sandbox.comment(SAMPLE_REPO, issue, "developer", "/help");
    await sandbox.settled({ timeoutMs: 60_000 });
    await jobs.idle();
    expect(parsed).toEqual(["/help"]);
    // The reading handed on is the one the handler acted on: /help answered in the thread.
    const replies = botReplies(issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("/release");
  });

  it("parses once a comment whose command GitHub does not show, and acts on nothing", async () => {
    const issue = await sandbox.openIssue(SAMPLE_REPO, "developer", { title: "A code sample" });
    await sandbox.settled({ timeoutMs: 60_000 });
    parsed.length = 0;
    const hidden = "Try this:\n\n```\n/deploy production\n```";
    sandbox.comment(SAMPLE_REPO, issue, "developer", hidden);
    // No line that could be a command: the cheap look turns it away, the parser never sees it.
    sandbox.comment(SAMPLE_REPO, issue, "developer", "LGTM, see /api/v1 for details.");
    await sandbox.settled({ timeoutMs: 60_000 });
    await jobs.idle();
    expect(parsed).toEqual([hidden]);
    expect(botReplies(issue)).toEqual([]);
  });

  it("parses each of several commands sent at once once, each run in turn", async () => {
    const issue = await sandbox.openIssue(SAMPLE_REPO, "developer", { title: "Help, three times" });
    await sandbox.settled({ timeoutMs: 60_000 });
    parsed.length = 0;
    for (let i = 0; i < 3; i++) sandbox.comment(SAMPLE_REPO, issue, "developer", "/help");
    await sandbox.settled({ timeoutMs: 60_000 });
    await jobs.idle();
    expect(parsed).toEqual(["/help", "/help", "/help"]);
    expect(botReplies(issue)).toHaveLength(3);
  });
});
