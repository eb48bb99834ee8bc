/**
 * Child processes for the bench: the baseline Probot app (bench/bare-app.mjs), the app as
 * `npm start` runs it (lib/main.js), and the memory of a process read from the kernel
 * (`/proc/<pid>/status`: VmRSS now, VmHWM its peak; proc(5)), so the figure is that process
 * alone, never the bench's own sandbox and load generator.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WEBHOOK_SECRET } from "../sandbox/harness/e2e.js";
import { testPrivateKey } from "../sandbox/harness/keys.js";
import { WEBHOOK_PATH } from "../src/composition/server.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface NodeProcess {
  readonly pid: number;
  readonly url: string;
  readonly webhookUrl: string;
  /** Milliseconds from spawn to the first 200 from GET /healthz. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

/** Memory of one process in MB from /proc/<pid>/status; null once it is gone or off Linux. */
export const processMemoryMb = (pid: number): { rss: number; peak: number } | null => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
};

/** Samples a process's RSS every `everyMs` until stopped; returns the highest sample in MB. */
export const sampleProcessRss = (pid: number, everyMs = 25) => {
  let peak = 0;
  const take = () => (peak = Math.max(peak, processMemoryMb(pid)?.rss ?? 0));
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: (): number => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
};

const get = async (url: string): Promise<number> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
};

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
  });

/**
 * Starts `node <args>` with PORT=0 and a PORT_FILE, and waits until GET /healthz answers 200.
 * The time is taken from just before spawn, as a process supervisor would see it.
 */
export const startNodeProcess = async (
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<NodeProcess> => {
  const dir = await mkdtemp(join(tmpdir(), "release-pilot-bench-"));
  const portFile = join(dir, "port");
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      PORT: "0",
      HOST: "127.0.0.1",
      PORT_FILE: portFile,
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString("utf8")));
  const gone = exited(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await gone;
    await rm(dir, { recursive: true, force: true });
  };
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`node ${args.join(" ")} exited while starting:\n${errors}`);
    }
    const port = (await readFile(portFile, "utf8").catch(() => "")).trim();
    if (port && (await get(`http://127.0.0.1:${port}/healthz`)) === 200) {
      const url = `http://127.0.0.1:${port}`;
      return {
        pid: child.pid ?? 0,
        url,
        webhookUrl: `${url}${WEBHOOK_PATH}`,
        readyMs: performance.now() - started,
        stop,
      };
    }
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`node ${args.join(" ")} did not answer /healthz within ${timeoutMs} ms:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** The settings both sides start with: the same App id, key and secret. */
export const appIdentityEnv = (): Record<string, string> => ({
  APP_ID: "777",
  PRIVATE_KEY: testPrivateKey(),
  WEBHOOK_SECRET,
  LOG_LEVEL: "warn",
});

/** The baseline: a Probot app with no handlers (bench/bare-app.mjs). */
export const startBareApp = (): Promise<NodeProcess> =>
  startNodeProcess(["bench/bare-app.mjs"], appIdentityEnv());
