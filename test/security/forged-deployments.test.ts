import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AppIdentityCache } from "../../src/adapters/github/app-identity.js";
import { GitHubDeploymentRecords } from "../../src/adapters/github/github-deployment-records.js";
import { SAMPLE_NAME, SAMPLE_OWNER } from "../../sandbox/sample/sample-repo.js";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import type { FakeCluster } from "../../sandbox/kubernetes/index.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { seedSample, startSampleCluster, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";

/**
 * Attack 3 of the threat model: a Deployment record whose payload looks like the app's, made
 * through the API by someone else with `deployments: write` (here a developer's personal access
 * token), naming production, `kube-system` and attacker images. After a restart of the app (a
 * child process, as `npm start` runs it) nothing is patched and the record is logged as ignored.
 * GitHub's Deployment object: https://docs.github.com/en/rest/deployments/deployments#get-a-deployment
 * (`creator` is who made the request; a GitHub App's installation acts as `<slug>[bot]`).
 */
jest.setTimeout(120_000);

const repoRef = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };
const ATTACKER_IMAGE = "evil.example/miner:6.6.6";

const payloadFor = (fields: {
  namespace: string;
  cluster: string;
  deployment: string;
  container: string;
}) => ({
  app: "release-pilot",
  action: "deploy",
  version: "6.6.6",
  cluster: fields.cluster,
  namespace: fields.namespace,
  services: [
    {
      name: fields.deployment,
      deployment: fields.deployment,
      container: fields.container,
      image: ATTACKER_IMAGE,
      previousImage: ATTACKER_IMAGE,
      previousHealthy: true,
    },
  ],
  issue: 1,
  actor: "maintainer",
});

let sandbox: GitHubSandbox;
let cluster: FakeCluster;
let app: AppIdentityCache;
/** Acts as the App's installation (the sandbox's seeding token). */
let asApp: InstanceType<typeof TestOctokit>;
/** A developer's personal access token: write access, not the App. */
let asDeveloper: InstanceType<typeof TestOctokit>;

/** An in-flight Deployment recorded through `octokit`; returns its id. */
const record = async (
  octokit: InstanceType<typeof TestOctokit>,
  environment: string,
  payload: ReturnType<typeof payloadFor>,
): Promise<number> => {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repoRef,
    ref: "main",
    environment,
    auto_merge: false,
    required_contexts: [],
    payload,
  });
  const id = "id" in data ? data.id : 0;
  await octokit.rest.repos.createDeploymentStatus({ ...repoRef, deployment_id: id, state: "in_progress" });
  return id;
};

beforeAll(async () => {
  sandbox = await startGitHubSandbox({
    webhook: { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET },
  });
  cluster = await startSampleCluster();
  cluster.addDeployment({
    namespace: "kube-system",
    name: "coredns",
    image: "registry.k8s.io/coredns:1.11.1",
    replicas: 2,
  });
  asApp = new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url });
  await seedSample(sandbox, asApp);
  asDeveloper = new TestOctokit({
    auth: { token: sandbox.personalToken("developer") },
    baseUrl: sandbox.url,
  });
  app = new AppIdentityCache();
});
afterAll(async () => {
  await sandbox?.close();
  await cluster?.close();
});

describe("the sandbox tells who created a Deployment", () => {
  it("a person's token records that person as creator and no performed_via_github_app; the App's installation its bot and itself", async () => {
    const theirs = await record(
      asDeveloper,
      "qa",
      payloadFor({
        cluster: "staging",
        namespace: "ml-staging",
        deployment: "bankchurn",
        container: "bankchurn",
      }),
    );
    const ours = await record(
      asApp,
      "qa",
      payloadFor({
        cluster: "staging",
        namespace: "ml-staging",
        deployment: "bankchurn",
        container: "bankchurn",
      }),
    );
    const get = async (id: number) =>
      (await asApp.rest.repos.getDeployment({ ...repoRef, deployment_id: id })).data;
    const forged = await get(theirs);
    expect(forged.creator).toMatchObject({ login: "developer", type: "User" });
    expect(forged.performed_via_github_app ?? undefined).toBeUndefined();
    const own = await get(ours);
    expect(own.creator).toMatchObject({ login: "release-pilot[bot]", type: "Bot" });
    expect(own.performed_via_github_app).toMatchObject({ id: 777, slug: "release-pilot" });
    expect(await app.of(asApp)).toEqual({ id: 777, slug: "release-pilot" });
    expect(sandbox.violations).toEqual([]);
  });
});

describe("the Deployment records the app reads", () => {
  it("are only the App's: others' are skipped and reported, even a page and more of newer ones in the same environment", async () => {
    const env = "flood";
    const ownId = await record(
      asApp,
      env,
      payloadFor({
        cluster: "staging",
        namespace: "ml-staging",
        deployment: "bankchurn",
        container: "bankchurn",
      }),
    );
    // One more than a page of 100: ours is only on the second page. Recorded without statuses,
    // as the records are told apart before any status is read.
    const forged: number[] = [];
    for (let i = 0; i < 101; i++) {
      const { data } = await asDeveloper.rest.repos.createDeployment({
        ...repoRef,
        ref: "main",
        environment: env,
        auto_merge: false,
        required_contexts: [],
        payload: payloadFor({
          cluster: "staging",
          namespace: "ml-staging",
          deployment: "bankchurn",
          container: "bankchurn",
        }),
      });
      forged.push("id" in data ? data.id : 0);
    }
    const ignored: string[] = [];
    const records = new GitHubDeploymentRecords(asApp, repoRef, {
      self: () => app.of(asApp),
      ignored: (r, reason) => void ignored.push(`${r.id} ${r.creator}: ${reason}`),
    });
    const listed = await records.list({ environment: env, limit: 5 });
    expect(listed.map((r) => r.id)).toEqual([ownId]);
    expect(ignored).toHaveLength(101);
    expect(ignored[0]).toBe(
      `${forged.at(-1)} developer: created by @developer (User), not by release-pilot[bot]`,
    );
    expect(await records.get(forged[0]!)).toBeUndefined();
    expect((await records.get(ownId))?.payload?.version).toBe("6.6.6");
    expect(sandbox.violations).toEqual([]);
  });
});

describe("a restart of the app with forged in-flight Deployments", () => {
  let running: AppProcess | undefined;
  afterAll(async () => {
    await running?.stop("SIGKILL");
  });

  it("patches nothing (production, kube-system, staging stay as they were) and logs each record it leaves", async () => {
    const forgedSystem = await record(
      asDeveloper,
      "production",
      payloadFor({
        cluster: "production",
        namespace: "kube-system",
        deployment: "coredns",
        container: "coredns",
      }),
    );
    const forgedStaging = await record(
      asDeveloper,
      "staging",
      payloadFor({
        cluster: "staging",
        namespace: "ml-staging",
        deployment: "bankchurn",
        container: "bankchurn",
      }),
    );
    // Even the App's own record is not driven when it no longer matches the default branch's config.
    const stale = await record(
      asApp,
      "production",
      payloadFor({
        cluster: "production",
        namespace: "kube-system",
        deployment: "coredns",
        container: "coredns",
      }),
    );
    const images = () =>
      ["kube-system/coredns", "ml-production/bankchurn", "ml-staging/bankchurn"].map((key) => {
        const [namespace, name] = key.split("/");
        return cluster.getDeployment(namespace!, name!)?.spec.template.spec.containers[0]?.image;
      });
    const before = images();
    const writes = () => cluster.requests.filter((r) => r.method !== "GET").length;
    const writesBefore = writes();

    running = await startAppProcess({
      sandboxUrl: sandbox.url,
      clusterUrl: cluster.url,
      instance: "after-restart",
    });
    const lines = () => running!.output().split("\n").filter(Boolean);
    await until(
      "the resume pass to log the forged and the stale records",
      () => {
        const out = running!.output();
        return (
          out.includes(`"deployment":${forgedSystem}`) &&
          out.includes(`"deployment":${forgedStaging}`) &&
          out.includes(`"deployment":${stale}`)
        );
      },
      60_000,
    );
    await sandbox.settled({ timeoutMs: 30_000 });

    const ignoredLines = lines().filter((l) =>
      l.includes("ignored a Deployment record this App did not create"),
    );
    expect(
      ignoredLines.some(
        (l) => l.includes(`"deployment":${forgedSystem}`) && l.includes('"creator":"developer"'),
      ),
    ).toBe(true);
    expect(ignoredLines.some((l) => l.includes(`"deployment":${forgedStaging}`))).toBe(true);
    const staleLine = lines().find((l) => l.includes(`"deployment":${stale}`));
    expect(staleLine).toContain("not resuming a Deployment that does not match the default branch's config");
    expect(staleLine).toContain("kube-system");

    expect(images()).toEqual(before);
    expect(writes()).toBe(writesBefore);
    for (const id of [forgedSystem, forgedStaging, stale])
      expect(
        sandbox
          .deployments(`${SAMPLE_OWNER}/${SAMPLE_NAME}`)
          .find((d) => d.id === id)
          ?.statuses.map((s) => s.state),
      ).toEqual(["in_progress"]);
    expect(sandbox.violations).toEqual([]);
  });
});
