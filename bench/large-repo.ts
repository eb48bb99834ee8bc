/**
 * `/release` on a repository with data files committed (ML repositories commit CSVs): the app
 * runs in its own process (`npm start`'s src/main.ts through tsx), the sandbox GitHub in this
 * one, so the app's memory is measured alone. Counted: the app's API calls, the bytes of every
 * answer the sandbox sent it (bodies as they crossed the wire: gzip, which the app's fetch asks
 * for, as GitHub serves it), and the app process's peak
 * resident memory (`VmHWM` of /proc/<pid>/status: the high-water mark of RSS since it started).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGitHubSandbox } from "../sandbox/github/index.js";
import { SAMPLE_REPO } from "../sandbox/sample/sample-repo.js";
import { seedSample, WEBHOOK_SECRET } from "../sandbox/harness/e2e.js";
import { testPrivateKey } from "../sandbox/harness/keys.js";
import { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { WEBHOOK_PATH } from "../src/composition/server.js";
import { appRequests } from "./api-calls.js";

export interface LargeRepoFigures {
  mbCommitted: number;
  /** Bytes of the answers the sandbox sent the app during `/release` (bodies on the wire, gzip where asked). */
  bytesTransferred: number;
  /** The app process's peak RSS (VmHWM), MB. */
  appPeakRssMb: number;
  /** The app's API calls for `/release`, up to its final reaction. */
  calls: number;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MB = 1024 * 1024;

/** A CSV of about `bytes` bytes whose rows vary (as real data does, so it does not compress to nothing). */
const csv = (bytes: number, seed: number): string => {
  const rows = ["id,ts,feature_a,feature_b,label"];
  let size = rows[0]!.length + 1;
  let x = seed * 2654435761;
  for (let id = 0; size < bytes; id++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const row = `${id},${1700000000 + id},${(x % 100000) / 1000},${((x >> 7) % 9973) / 97},${x % 2}`;
    rows.push(row);
    size += row.length + 1;
  }
  return rows.join("\n");
};

/** One commit of data files: its message and files by path. */
export interface DataCommit {
  message: string;
  files: Record<string, string>;
}

/** Bytes of data handed to git in one go (one `git fast-import` run of a few commits). */
const BATCH_BYTES = 32 * MB;

/**
 * Commits `mb` MB of data files onto develop: a few large files (a quarter of it, in files of at
 * most 16 MB) and many small ones (16 KB each, 500 a directory), about 8 MB a commit. `append`
 * writes a few commits at a time (the sandbox's `appendHistory`: one `git fast-import` run, real
 * commits of real blobs and trees, no webhook), so 300 MB take seconds, not the minutes one API
 * push per commit took.
 */
export const commitDataFiles = async (
  append: (commits: DataCommit[]) => Promise<unknown>,
  mb: number,
): Promise<void> => {
  let pending: DataCommit[] = [];
  let pendingBytes = 0;
  const commit = async (message: string, files: Record<string, string>, bytes: number) => {
    pending.push({ message, files });
    pendingBytes += bytes;
    if (pendingBytes >= BATCH_BYTES) await flush();
  };
  const flush = async () => {
    if (pending.length > 0) await append(pending);
    pending = [];
    pendingBytes = 0;
  };
  const large = Math.floor((mb * MB) / 4);
  let seed = 1;
  for (let left = large, i = 0; left > 0; i++) {
    const size = Math.min(left, 16 * MB);
    await commit(`chore(data): large table ${i}`, { [`data/raw/table-${i}.csv`]: csv(size, seed++) }, size);
    left -= size;
  }
  const small = 16 * 1024;
  let batch: Record<string, string> = {};
  let batchBytes = 0;
  for (let left = mb * MB - large, i = 0; left > 0; left -= small, i++) {
    batch[`data/shards/${String(Math.floor(i / 500)).padStart(3, "0")}/part-${i}.csv`] = csv(small, seed++);
    batchBytes += small;
    if (batchBytes >= 8 * MB) {
      await commit(`chore(data): shards up to ${i}`, batch, batchBytes);
      batch = {};
      batchBytes = 0;
    }
  }
  if (batchBytes > 0) await commit("chore(data): last shards", batch, batchBytes);
  await flush();
};

const peakRssMb = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
};

/** The app as `npm start` runs it, against the sandbox as GitHub Enterprise over http. */
const startApp = async (sandboxUrl: string) => {
  const dir = await mkdtemp(join(tmpdir(), "release-pilot-bench-"));
  const portFile = join(dir, "port");
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !key.startsWith("RELEASE_PILOT_") && !key.startsWith("KUBECONFIG"))
      env[key] = value;
  for (const key of ["GITHUB_TOKEN", "NODE_OPTIONS", "PRIVATE_KEY_PATH"]) delete env[key];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...env,
      APP_ID: "777",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      GHE_HOST: new URL(sandboxUrl).host,
      GHE_PROTOCOL: "http",
      PORT: "0",
      HOST: "127.0.0.1",
      PORT_FILE: portFile,
      LOG_LEVEL: "warn",
      RELEASE_PILOT_INSTANCE: "bench-large-repo",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString("utf8")));
  const started = Date.now();
  let port = "";
  while (!port) {
    if (child.exitCode !== null) throw new Error(`bench: the app exited while starting:\n${errors}`);
    if (Date.now() - started > 60_000) throw new Error(`bench: the app did not start in 60 s:\n${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    port = (await readFile(portFile, "utf8").catch(() => "")).trim();
  }
  return {
    pid: child.pid ?? 0,
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** `/release 1.2.0` on the sample monorepo with `mb` MB of data files committed to develop. */
export const benchLargeRepo = async (mb = 300): Promise<LargeRepoFigures> => {
  const target = { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET };
  const sandbox = await startGitHubSandbox({ webhook: target });
  const app = await startApp(sandbox.url);
  try {
    await seedSample(sandbox, new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url }));
    await commitDataFiles((commits) => sandbox.appendHistory(SAMPLE_REPO, "develop", commits), mb);
    target.url = app.webhookUrl;
    const issue = await sandbox.openIssue(SAMPLE_REPO, "maintainer", { title: "Release 1.2.0" });
    await sandbox.settled({ timeoutMs: 120_000 });
    sandbox.resetRequests();
    sandbox.comment(SAMPLE_REPO, issue, "maintainer", "/release 1.2.0");
    // Only the command is measured: once the app works on it, the events it causes (the new
    // PR's checklist) go to an address nobody listens on, recorded but not delivered.
    const started = Date.now();
    while (!sandbox.requests.some((r) => r.fromApp)) {
      if (Date.now() - started > 60_000) throw new Error("bench: the app did not act on /release in 60 s");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    target.url = "http://127.0.0.1:9/unset";
    // Done at the command's second reaction (👀 first, then 🚀 or 😕); the app spaces its writes,
    // so the sandbox may look idle before then.
    const reactions = () =>
      sandbox.requests.filter((r) => r.operationId === "reactions/create-for-issue-comment").length;
    while (reactions() < 2) {
      if (Date.now() - started > 300_000) throw new Error("bench: /release did not finish in 300 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await sandbox.settled({ timeoutMs: 60_000 });
    const reply = sandbox.issue(SAMPLE_REPO, issue).comments.at(-1)?.body ?? "";
    if (!reply.includes("Release **v1.2.0** is cut")) throw new Error(`bench: /release answered: ${reply}`);
    // Up to the command's final reaction: what follows is the new PR's own events (the checklist).
    // Every answer counts.
    const all = sandbox.requests;
    const last = all.findLastIndex(
      (r) => r.fromApp && r.operationId === "reactions/create-for-issue-comment",
    );
    const release = all.slice(0, last + 1);
    return {
      mbCommitted: mb,
      bytesTransferred: release.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
      appPeakRssMb: await peakRssMb(app.pid),
      calls: appRequests(release).length,
    };
  } finally {
    await app.stop();
    await sandbox.close();
  }
};

/** The issue's targets at 300 MB: under 1 MB transferred, app RSS under 200 MB, ≤ 16 calls. */
export const largeRepoMissed = (f: LargeRepoFigures | undefined): string[] => {
  if (!f) return [];
  const missed: string[] = [];
  if (f.bytesTransferred >= MB)
    missed.push(
      `/release on ${f.mbCommitted} MB of data transferred ${f.bytesTransferred} bytes (target < 1 MB)`,
    );
  if (f.appPeakRssMb >= 200)
    missed.push(
      `/release on ${f.mbCommitted} MB of data: app peak RSS ${f.appPeakRssMb} MB (target < 200 MB)`,
    );
  if (f.calls > 16)
    missed.push(`/release on ${f.mbCommitted} MB of data made ${f.calls} calls (target ≤ 16)`);
  return missed;
};
