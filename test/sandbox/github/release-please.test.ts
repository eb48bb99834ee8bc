// An independent GitHub client against the sandbox: release-please 17 (pinned dev dependency),
// run as its own process with `--api-url`/`--graphql-url` pointing at the sandbox, proposes the
// sample monorepo's next release (release-pr), then, once its pull request is merged, tags and
// publishes it (github-release). It uses REST and GraphQL the way it uses them on GitHub, so any
// gap or deviation shows up as an OpenAPI or GraphQL violation here. Its manifest-driven flow:
// https://github.com/googleapis/release-please/blob/main/docs/manifest-releaser.md
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SAMPLE_NAME, SAMPLE_OWNER, SAMPLE_REPO } from "../../../sandbox/sample/sample-repo.js";
import { seedSample } from "../../../sandbox/harness/e2e.js";
import { TestOctokit } from "../../../sandbox/harness/test-octokit.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";

const run = promisify(execFile);
const bin = fileURLToPath(
  new URL("../../../node_modules/release-please/build/src/bin/release-please.js", import.meta.url),
);
const repo = { owner: SAMPLE_OWNER, repo: SAMPLE_NAME };
const packages = {
  "BankChurn-Predictor": "bankchurn",
  "CarVision-Market-Intelligence": "carvision",
  "TelecomAI-Customer-Intelligence": "telecom",
} as const;

let sandbox: GitHubSandbox;
let admin: InstanceType<typeof TestOctokit>;

/** release-please's CLI, every URL on loopback; its output is kept for a failure's message. */
async function releasePlease(command: "release-pr" | "github-release"): Promise<string> {
  const args = [
    bin,
    command,
    "--token=sandbox-token",
    `--repo-url=${SAMPLE_REPO}`,
    `--api-url=${sandbox.url}`,
    `--graphql-url=${sandbox.url}`,
    "--target-branch=develop",
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_PROXY: "*" },
      timeout: 120_000,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`release-please ${command} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  admin = new TestOctokit({ auth: "sandbox", baseUrl: sandbox.url });
  await seedSample(sandbox, admin);
  // The manifest config release-please reads from the target branch (docs/manifest-releaser.md):
  // one python package per service, versions from the last release (1.1.0).
  await sandbox.pushCommit(SAMPLE_REPO, "maria", "develop", "chore: configure release-please", {
    "release-please-config.json": `${JSON.stringify(
      {
        packages: Object.fromEntries(
          Object.entries(packages).map(([path, name]) => [
            path,
            { "release-type": "python", "package-name": name, component: name },
          ]),
        ),
      },
      null,
      2,
    )}\n`,
    ".release-please-manifest.json": `${JSON.stringify(
      Object.fromEntries(Object.keys(packages).map((p) => [p, "1.1.0"])),
      null,
      2,
    )}\n`,
  });
  await sandbox.settled();
  sandbox.resetRequests();
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

describe("release-please against the sandbox", () => {
  it("opens the release pull request, then tags and publishes each component once it is merged", async () => {
    await releasePlease("release-pr");
    expect(sandbox.violations).toEqual([]);
    const open = sandbox.pulls(SAMPLE_REPO).filter((p) => p.state === "open");
    expect(open).toHaveLength(1);
    const pull = open[0]!;
    expect(pull).toMatchObject({
      title: "chore: release develop",
      labels: ["autorelease: pending"],
      pull: { base: "develop", head: "release-please--branches--develop" },
    });
    // The versions its conventional commits call for: a feat in each of two services, a fix in one.
    expect(pull.body).toContain("<summary>bankchurn: 1.2.0</summary>");
    expect(pull.body).toContain("<summary>carvision: 1.2.0</summary>");
    expect(pull.body).toContain("<summary>telecom: 1.1.1</summary>");
    expect(pull.body).toContain("**telecom:** resolve CORS issues in the prediction endpoint");
    const head = "release-please--branches--develop";
    expect(await sandbox.getFile(SAMPLE_REPO, head, "BankChurn-Predictor/pyproject.toml")).toContain(
      'version = "1.2.0"',
    );
    expect(
      await sandbox.getFile(SAMPLE_REPO, head, "TelecomAI-Customer-Intelligence/pyproject.toml"),
    ).toContain('version = "1.1.1"');
    expect(JSON.parse((await sandbox.getFile(SAMPLE_REPO, head, ".release-please-manifest.json"))!)).toEqual({
      "BankChurn-Predictor": "1.2.0",
      "CarVision-Market-Intelligence": "1.2.0",
      "TelecomAI-Customer-Intelligence": "1.1.1",
    });
    expect(await sandbox.getFile(SAMPLE_REPO, head, "CarVision-Market-Intelligence/CHANGELOG.md")).toContain(
      "* new market analysis dashboard",
    );

    // A maintainer merges it through the API, as on GitHub.
    const merged = await admin.rest.pulls.merge({
      ...repo,
      pull_number: pull.number,
      merge_method: "squash",
    });
    await sandbox.settled();
    await releasePlease("github-release");
    expect(sandbox.violations).toEqual([]);

    const versions = { bankchurn: "1.2.0", carvision: "1.2.0", telecom: "1.1.1" };
    for (const [component, version] of Object.entries(versions)) {
      const tag = `${component}-v${version}`;
      expect(await sandbox.getRef(SAMPLE_REPO, `tags/${tag}`)).toBe(merged.data.sha);
      const release = sandbox.releases(SAMPLE_REPO).find((r) => r.tagName === tag);
      expect(release).toMatchObject({ name: `${component}: v${version}`, draft: false, prerelease: false });
      expect(release?.body).toContain(`## [${version}]`);
    }
    expect(sandbox.releases(SAMPLE_REPO)).toHaveLength(3);
    const after = sandbox.issue(SAMPLE_REPO, pull.number);
    expect(after.labels).toEqual(["autorelease: tagged"]);
    expect(after.comments.map((c) => c.body)).toEqual([
      expect.stringContaining(
        "- [telecom-v1.1.1](https://github.com/duqueom/ml-mlops-portfolio/releases/tag/telecom-v1.1.1)",
      ),
    ]);

    // Run again: it reads those releases back (GraphQL releases → tagCommit), finds no commit
    // since them and proposes nothing.
    await releasePlease("release-pr");
    expect(sandbox.pulls(SAMPLE_REPO).filter((p) => p.state === "open")).toEqual([]);
    expect(sandbox.violations).toEqual([]);
    expect(sandbox.requests.filter((r) => r.status >= 500)).toEqual([]);
  }, 300_000);
});
