import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import { seedSample, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import { undiciWithHttpAlone } from "../support/module-log/undici-baseline.js";

/**
 * The app as `npm run dev` runs it (src/main.ts), in its own process, against the seeded
 * sandbox GitHub: its start lists the installations and every installed repository (the
 * resume on start), so it makes real GitHub calls, gzip answers and an installation token
 * included. Node lists the internal modules a process loaded in `process.moduleLoadList`
 * (test/support/module-log/internal-modules.mjs writes it on SIGUSR2); Node's fetch lives in
 * `internal/deps/undici/undici`, about 10 MB of RSS, which those calls must not load.
 */
const UNDICI = "NativeModule internal/deps/undici/undici";

let dir = "";
let child: ChildProcess | undefined;
let github: GitHubSandbox | undefined;

const waitFor = async (check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const internalModules = async (): Promise<string[]> => {
  const file = join(dir, "internal-modules.log");
  await rm(file, { force: true });
  child?.kill("SIGUSR2");
  let text = "";
  await waitFor(
    async () => (text = await readFile(file, "utf8").catch(() => "")).endsWith("end\n"),
    "the list",
  );
  return text.split("\n").filter((line) => line !== "" && line !== "end");
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "release-pilot-nofetch-"));
  github = await startGitHubSandbox({ webhook: { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET } });
  await seedSample(github, new TestOctokit({ auth: "admin-token", baseUrl: github.url }));
  github.resetRequests();
  const portFile = join(dir, "port");
  child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./test/support/module-log/internal-modules.mjs", "src/main.ts"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        INTERNAL_MODULE_LOG: join(dir, "internal-modules.log"),
        APP_ID: "777",
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET,
        LOG_LEVEL: "fatal",
        PORT: "0",
        HOST: "127.0.0.1",
        PORT_FILE: portFile,
        GHE_HOST: new URL(github.url).host,
        GHE_PROTOCOL: "http",
      },
      stdio: "ignore",
    },
  );
  await waitFor(
    async () => (await readFile(portFile, "utf8").catch(() => "")).trim() !== "",
    "the port file",
  );
  // The resume on start: the installations, then the installed repositories, then their reads.
  const sandbox = github;
  await waitFor(
    () => sandbox.requests.some((r) => r.fromApp && r.path.startsWith("/installation/repositories")),
    "the resume's listing of the installed repositories",
  );
  await sandbox.settled({ quietMs: 1_000, timeoutMs: 60_000 });
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await github?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("starting the app, in its own process", () => {
  it("calls GitHub over node:http and never loads Node's fetch (undici)", async () => {
    const calls = github!.requests.filter((r) => r.fromApp);
    // The start did talk to GitHub: the App's JWT, an installation token, the repositories.
    expect(calls.some((r) => r.method === "GET" && r.path.startsWith("/app/installations"))).toBe(true);
    expect(
      calls.some((r) => r.method === "POST" && /\/app\/installations\/\d+\/access_tokens$/.test(r.path)),
    ).toBe(true);
    expect(calls.filter((r) => r.status >= 200 && r.status < 300).length).toBeGreaterThan(3);
    const loaded = await internalModules();
    expect(loaded).toContain("NativeModule _http_client");
    // No more of undici than `node:http` alone loads on this Node (none on Node 20).
    const baseline = await undiciWithHttpAlone();
    expect(loaded.filter((m) => m.includes("undici"))).toEqual(baseline);
    if (baseline.length === 0) expect(loaded).not.toContain(UNDICI);
  });
});
