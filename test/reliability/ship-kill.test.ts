import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { SAMPLE_NAME, SAMPLE_OWNER } from "../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import { seedSample, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { endState } from "./support/end-state.js";

/**
 * The Kill cell of the Ship row (docs/reliability.md): the app, as `npm start` runs it, is killed
 * (SIGKILL) after it tagged a merged release and before the GitHub release exists. GitHub does
 * not redeliver the merge event by itself
 * (https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries), so the
 * next start finds the merged release PR without its "shipped" comment and completes it, once.
 */
jest.setTimeout(240_000);

const R = `/repos/${SAMPLE_OWNER}/${SAMPLE_NAME}`;
const repo = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;
const SHIPPED = "<!-- release-pilot:shipped:v1.2.0 -->";

describe("Ship: the app killed mid-ship", () => {
  let sandbox: GitHubSandbox;
  let admin: InstanceType<typeof TestOctokit>;
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const apps: AppProcess[] = [];
  const start = async () => {
    const app = await startAppProcess({ sandboxUrl: sandbox.url, instance: "pod-a" });
    apps.push(app);
    target.url = app.webhookUrl;
    return app;
  };
  const bot = (n: number) => sandbox.issue(repo, n).comments.filter((c) => c.user.type === "Bot");
  const appWrites = () =>
    sandbox.requests.filter(
      (c) =>
        c.fromApp &&
        c.method !== "GET" &&
        !c.path.startsWith("/_sandbox/") &&
        !c.path.includes("/access_tokens") &&
        !c.path.includes("/reactions"),
    );

  beforeAll(async () => {
    sandbox = await startGitHubSandbox({ webhook: target });
    admin = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
    await seedSample(sandbox, admin);
    await sandbox.settled({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop("SIGKILL")));
    await sandbox?.close();
  });

  it("SIGKILL after the tag, before the release: the restart completes the shipment exactly once", async () => {
    const first = await start();
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    const id = sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await until(
      "the /release reply",
      () => (sandbox.issue(repo, issue).comments.find((c) => c.id === id)?.reactions ?? []).length >= 2,
      60_000,
    );
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0")?.number ?? 0;
    expect(pull).toBeGreaterThan(0);

    // The release's creation hangs (then its connection drops): the kill lands between the tag
    // and the release whatever the machine's speed.
    sandbox.faults.add({ method: "POST", path: `${R}/releases`, latencyMs: 20_000, drop: true, times: 1 });
    sandbox.resetRequests();
    await sandbox.mergePullRequest(repo, pull, "maintainer");
    await until("the tag", () => sandbox.getRef(repo, "tags/v1.2.0"), 60_000);
    // The release notes' compare is the last read before the release is created.
    await until(
      "the release notes' reads",
      () => sandbox.requests.some((c) => c.fromApp && c.method === "GET" && c.path.includes("/compare/")),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });

    const killed = await endState(sandbox, admin, repo);
    expect(killed.tags).toEqual(["v1.1.0", "v1.2.0"]);
    expect(killed.releases).toEqual([]);
    expect(killed.threads[issue]?.state).toBe("open");
    expect(bot(pull).filter((c) => c.body.includes(SHIPPED))).toHaveLength(0);
    const tagWrites = appWrites().filter((c) => c.path.includes("/git/refs") || c.path.includes("/git/tags"));

    // Started again: the restart finds the merged PR without its shipped comment and completes it.
    sandbox.faults.clear();
    const second = await start();
    await until("the shipped comment", () => bot(pull).some((c) => c.body.includes(SHIPPED)), 90_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${second.output()}`);
      },
    );
    await until("the issue closed", () => sandbox.issue(repo, issue).state === "closed", 30_000);
    await sandbox.settled({ timeoutMs: 60_000 });
    const state = await endState(sandbox, admin, repo);
    expect(state.tags).toEqual(["v1.1.0", "v1.2.0"]);
    expect(state.releases.map((x) => x.tag)).toEqual(["v1.2.0"]);
    const merges = (await sandbox.commits(repo, "develop")).filter((c) =>
      c.message.startsWith("Merge main (v1.2.0) into develop"),
    );
    expect(merges).toHaveLength(1);
    expect(bot(pull).filter((c) => c.body.includes(SHIPPED))).toHaveLength(1);
    expect(bot(issue).filter((c) => c.body.includes(SHIPPED))).toHaveLength(1);
    // The tag was written by the first process only.
    expect(appWrites().filter((c) => c.path.includes("/git/refs") || c.path.includes("/git/tags"))).toEqual(
      tagWrites,
    );
    expect(second.output()).toContain("resumed an incomplete shipment");

    // A further restart finds the shipment complete and writes nothing.
    await second.stop("SIGKILL");
    sandbox.resetRequests();
    const third = await start();
    await until(
      "the resume pass",
      () =>
        sandbox.requests.some(
          (c) => c.fromApp && c.method === "GET" && c.path.split("?")[0] === `${R}/pulls`,
        ),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await sandbox.settled({ timeoutMs: 60_000 });
    expect(appWrites()).toEqual([]);
    expect(await endState(sandbox, admin, repo)).toEqual(state);
    expect(third.output()).not.toContain("resumed an incomplete shipment");
    expect(sandbox.violations).toEqual([]);
  });
});
