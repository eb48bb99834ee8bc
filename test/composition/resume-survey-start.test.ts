import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { seedSample, startSampleCluster, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import type { FakeCluster } from "../../sandbox/kubernetes/index.js";

/**
 * The app started as production starts it (src/composition/start-from-env.ts, its own process,
 * with a module hook that logs every ES module it loads: test/support/module-log/) against the
 * seeded sample repository with nothing in flight: no Deployment record, no merged release PR, no
 * open PR. The start's resume pass surveys the repository and loads none of the resumes'
 * use-cases nor the repository's full ports, with the calls listed below.
 */
const SRC = `file://${join(process.cwd(), "src")}/`;

let dir = "";
let github: GitHubSandbox;
let cluster: FakeCluster;
let app: AppProcess | undefined;

const loaded = async (): Promise<string[]> =>
  (await readFile(join(dir, "modules.log"), "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t")[1] ?? "");

const isLoaded = (modules: string[], path: string): boolean => modules.includes(`${SRC}${path.slice(4)}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "release-pilot-survey-"));
  github = await startGitHubSandbox({ webhook: { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET } });
  await seedSample(github, new TestOctokit({ auth: "admin-token", baseUrl: github.url }));
  cluster = await startSampleCluster();
  github.resetRequests();
  app = await startAppProcess({
    sandboxUrl: github.url,
    clusterUrl: cluster.url,
    instance: "survey",
    nodeArgs: ["--import", "./test/support/module-log/register.mjs"],
    env: { MODULE_LOG: join(dir, "modules.log"), LOG_LEVEL: "warn" },
  });
  // The pass's last reads are the two PR lists; then its job ends.
  await until(
    "the resume pass",
    () => github.requests.filter((r) => r.operationId === "pulls/list").length >= 2,
    60_000,
  );
  await app.idle({ jobs: true });
  await github.settled();
}, 120_000);

afterAll(async () => {
  await app?.stop("SIGTERM");
  await github?.close();
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a start with nothing to resume", () => {
  it("surveys the repository and loads none of the resumes' use-cases or the full ports", async () => {
    const modules = await loaded();
    for (const light of [
      "src/use-cases/deploy/resume-on-start.ts",
      "src/adapters/github/github-resume-survey.ts",
      "src/config/schema.ts",
    ])
      expect([light, isLoaded(modules, light)]).toEqual([light, true]);
    for (const heavy of [
      "src/composition/build-repo-ports.ts",
      "src/adapters/github/create-github-ports.ts",
      "src/adapters/github/ref-locks.ts",
      "src/use-cases/deploy/resume-deploys.ts",
      "src/use-cases/deploy/start-canary-analysis.ts",
      "src/use-cases/deploy/drive-deploy.ts",
      "src/use-cases/ship/ship-merged-pull.ts",
      "src/use-cases/run-checklist.ts",
    ])
      expect([heavy, isLoaded(modules, heavy)]).toEqual([heavy, false]);
  });

  it("makes one call per question: the installations, the config, each environment's records and the two PR lists", () => {
    const calls = github.requests.map((r) => `${r.method} ${r.operationId}`);
    expect(calls.sort()).toEqual(
      [
        // The installations and each one's repositories (https://docs.github.com/en/rest/apps/installations).
        "GET apps/list-installations",
        "POST apps/create-installation-access-token",
        "GET apps/list-repos-accessible-to-installation",
        // The config, once for the three resumes.
        "GET repos/get-content",
        // staging and production, both on a cluster the app has.
        "GET repos/list-deployments",
        "GET repos/list-deployments",
        // Merged PRs into main (shipments), open PRs into main (checklists).
        "GET pulls/list",
        "GET pulls/list",
      ].sort(),
    );
    expect(github.violations).toEqual([]);
  });
});
