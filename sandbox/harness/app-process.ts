/**
 * The app as `npm start` runs it (src/main.ts's `startFromEnv`, through app-main.ts), in a child
 * process, against the sandbox GitHub and the fake Kubernetes API server: for what only a real
 * process shows (SIGKILL, SIGTERM, a restart, two replicas). TypeScript runs through tsx's loader
 * (a dev dependency), so no build is needed; with `compiled`, the compiled `lib/` runs under plain
 * `node` instead (app-main-compiled.mjs, after `npm run build`), as `npm start` runs it. PORT=0 and
 * PORT_FILE tell the test where the app listens.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WEBHOOK_PATH } from "../../src/composition/server.js";
import { WEBHOOK_SECRET } from "./e2e.js";
import { testPrivateKey } from "./keys.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcessOptions {
  /** The sandbox GitHub's URL (the app reaches it as GitHub Enterprise over http). */
  sandboxUrl: string;
  /** The fake cluster's URL, connected as the clusters `staging` and `production`. */
  clusterUrl?: string;
  /** RELEASE_PILOT_INSTANCE: the same name is "this process restarted", another one a new pod. */
  instance: string;
  /** More environment (claim margin, recheck period, shutdown grace …). */
  env?: Record<string, string>;
  /** Run the compiled `lib/` with plain `node` (the bench: no loader in the measured process). */
  compiled?: boolean;
  /** Extra arguments to `node` (`--cpu-prof`, `--cpu-prof-dir=…` to profile the app). */
  nodeArgs?: string[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly instance: string;
  readonly pid: number;
  readonly url: string;
  readonly webhookUrl: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** What it printed (JSON log lines), for failure messages. */
  output(): string;
  /**
   * Resolves once the work of every delivery the app answered is done (true when there was
   * some), asked over the IPC channel; false at once when the process is gone. With `jobs`, the
   * background jobs that work started too (never while a rollout is meant to keep running).
   */
  idle(options?: { jobs?: boolean }): Promise<boolean>;
  /** Send `signal` and wait for the exit. */
  stop(signal: NodeJS.Signals): Promise<Exit>;
}

/** A kubeconfig with no credentials for a plain-http API server. */
export const kubeconfigFor = (server: string): string =>
  [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `  - name: fake\n    cluster:\n      server: ${server}\n      insecure-skip-tls-verify: true`,
    "users:",
    "  - name: fake\n    user: {}",
    "contexts:",
    "  - name: fake\n    context:\n      cluster: fake\n      user: fake",
    "current-context: fake",
    "",
  ].join("\n");

/** The parent's environment without anything that would reach a real GitHub or cluster. */
const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith("KUBECONFIG") || key.startsWith("RELEASE_PILOT_")) continue;
    if (["GITHUB_TOKEN", "GHE_HOST", "GHE_PROTOCOL", "PRIVATE_KEY_PATH", "NODE_OPTIONS"].includes(key))
      continue;
    env[key] = value;
  }
  return env;
};

const exitOf = (child: ChildProcess): Promise<Exit> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

/** One question over the IPC channel: the answer to "idle?", or false once the process is gone. */
const askIdle = (child: ChildProcess, exited: Promise<Exit>, question: string): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.connected) return resolve(false);
    const onMessage = (message: unknown) => {
      if (typeof message !== "object" || message === null || !("idle" in message)) return;
      child.off("message", onMessage);
      resolve((message as { busy?: unknown }).busy === true);
    };
    child.on("message", onMessage);
    void exited.then(() => {
      child.off("message", onMessage);
      resolve(false);
    });
    child.send(question, (err) => {
      if (err) {
        child.off("message", onMessage);
        resolve(false);
      }
    });
  });

export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const dir = await mkdtemp(join(tmpdir(), "release-pilot-app-"));
  const portFile = join(dir, "port");
  const sandbox = new URL(options.sandboxUrl);
  const cluster = options.clusterUrl ? kubeconfigFor(options.clusterUrl) : undefined;
  const env: Record<string, string> = {
    ...cleanEnv(),
    APP_ID: "777",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET,
    GHE_HOST: sandbox.host,
    GHE_PROTOCOL: "http",
    PORT: "0",
    HOST: "127.0.0.1",
    PORT_FILE: portFile,
    LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "info",
    RELEASE_PILOT_INSTANCE: options.instance,
    ...(cluster ? { KUBECONFIG_STAGING: cluster, KUBECONFIG_PRODUCTION: cluster } : {}),
    ...options.env,
  };
  const main = options.compiled
    ? ["sandbox/harness/app-main-compiled.mjs"]
    : ["--import", "tsx", "sandbox/harness/app-main.ts"];
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...main], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  // The channel does not keep this process alive either.
  child.channel?.unref();
  let printed = "";
  child.stdout?.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
  const exited = exitOf(child);
  void exited.then(() => rm(dir, { recursive: true, force: true }));

  // Listening once the port file holds a number; an exit before that is a failed start.
  let port = "";
  const started = Date.now();
  while (!port) {
    const exit = await Promise.race([
      exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)),
    ]);
    if (exit) throw new Error(`the app exited while starting (${JSON.stringify(exit)}):\n${printed}`);
    port = (await readFile(portFile, "utf8").catch(() => "")).trim();
    if (Date.now() - started > 60_000) {
      child.kill("SIGKILL");
      throw new Error(`the app did not start within 60 s:\n${printed}`);
    }
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    instance: options.instance,
    pid: child.pid ?? 0,
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    exited,
    output: () => printed,
    idle: (idleOptions) => askIdle(child, exited, idleOptions?.jobs ? "jobs idle?" : "idle?"),
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Poll `check` until it returns something truthy (at most `timeoutMs`). */
export async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
