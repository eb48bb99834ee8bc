/**
 * The running process around the server: settings from the environment and `.env` (see
 * .env.example), `PORT_FILE` for a caller that asked for PORT=0, and the stop on SIGTERM/SIGINT:
 * stop taking webhooks, let running rollouts finish for a while, hand the rest over (see
 * hand-off.ts), exit 0, all within a pod's 30 s grace period by default.
 *
 * Every start-up error is a `StartupError` with one line of text; src/main.ts prints it and
 * exits non-zero (README, "Running it on your GitHub").
 */
import { createPrivateKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { getPrivateKey } from "@probot/get-private-key";
import type { Level } from "pino";
import type { ProbotOctokit } from "probot";
import { createLogger } from "../adapters/log/logger.js";
import { routes } from "../index.js";
import { composeApp } from "./compose-app.js";
import { type RunningServer, startServer } from "./server.js";
import { settingsFromEnv } from "./settings.js";

export interface StartFromEnvOptions {
  /** Octokit class for the app (tests of the process turn request throttling off). */
  Octokit?: typeof ProbotOctokit;
  /** The `.env` file to read (default: `.env` in the working directory, as `probot run` does). */
  envFile?: string;
}

/** A setting the process cannot start with; `message` is the one line the operator reads. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

type Env = Record<string, string | undefined>;

/**
 * Reads `.env` into `env` the way Probot apps load it: the same parser as `probot run`
 * (node:util `parseEnv`, the dotenv format: `#` comments, quotes, `\n` in double quotes), a
 * missing file is no error. A name the environment already sets keeps its value (dotenv's and
 * `node --env-file`'s rule: the deployment's environment wins over a file left in the
 * directory), and an empty value (`PRIVATE_KEY=` in .env.example) sets nothing.
 */
export function loadEnv(env: Env, path: string = join(process.cwd(), ".env")): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new StartupError(`cannot read ${path}: ${(err as Error).message}`);
  }
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === "" || (env[name] !== undefined && env[name] !== "")) continue;
    env[name] = value;
  }
}

/** A set, non-blank value, else undefined: `NAME=` counts as unset everywhere. */
const setting = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

const required = (env: Env, name: string): string => {
  const value = setting(env, name);
  if (!value) throw new StartupError(`${name} is not set (see .env.example)`);
  return value;
};

/**
 * The App's private key from PRIVATE_KEY (PEM, `\n`-escaped or base64) or PRIVATE_KEY_PATH (or
 * the one `*.pem` in the working directory), by the same rules as `probot run`
 * (@probot/get-private-key), then parsed, so a wrong key fails here and not at the first webhook.
 */
export function privateKeyFromEnv(env: Env, cwd: string = process.cwd()): string {
  const keyEnv = {
    ...(setting(env, "PRIVATE_KEY") ? { PRIVATE_KEY: setting(env, "PRIVATE_KEY") } : {}),
    ...(setting(env, "PRIVATE_KEY_PATH") ? { PRIVATE_KEY_PATH: setting(env, "PRIVATE_KEY_PATH") } : {}),
  };
  let key: string | null;
  try {
    key = getPrivateKey({ env: keyEnv, cwd });
  } catch (err) {
    const message = (err as Error).message.replace(/^\[@probot\/get-private-key\]\s*/, "");
    throw new StartupError(`the App's private key: ${message.split("\n")[0]}`);
  }
  if (!key) throw new StartupError("PRIVATE_KEY or PRIVATE_KEY_PATH is not set (see .env.example)");
  try {
    createPrivateKey(key);
  } catch {
    const from = keyEnv.PRIVATE_KEY ? "PRIVATE_KEY" : (keyEnv.PRIVATE_KEY_PATH ?? "the .pem file");
    throw new StartupError(`${from} does not hold a PEM private key (the .pem file GitHub gave for the App)`);
  }
  return key;
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export async function startFromEnv(env: Env, options: StartFromEnvOptions = {}): Promise<RunningServer> {
  loadEnv(env, options.envFile);
  const appId = required(env, "APP_ID");
  if (!/^[1-9]\d{0,11}$/.test(appId)) throw new StartupError(`APP_ID must be the App's numeric id`);
  const privateKey = privateKeyFromEnv(env);
  const webhookSecret = required(env, "WEBHOOK_SECRET");
  const portText = setting(env, "PORT") ?? "3000";
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65_535)
    throw new StartupError(`PORT must be a port number (0-65535)`);
  const level = setting(env, "LOG_LEVEL");
  if (level && !LEVELS.includes(level))
    throw new StartupError(`LOG_LEVEL must be one of ${LEVELS.join(", ")}`);
  const gheHost = setting(env, "GHE_HOST");
  const gheProtocol = setting(env, "GHE_PROTOCOL") ?? "https";
  if (gheHost && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(gheHost))
    throw new StartupError(`GHE_HOST must be a host name (github.example.com), not a URL`);
  if (!["http", "https"].includes(gheProtocol)) throw new StartupError(`GHE_PROTOCOL must be https or http`);

  const log = level ? createLogger(level as Level) : createLogger();
  // Read after `.env`: the app's settings come from the same environment.
  const settings = await settingsFromEnv(env);
  let server: RunningServer;
  try {
    server = await startServer({
      app: composeApp(routes, settings),
      appId,
      privateKey,
      webhookSecret,
      port,
      host: setting(env, "HOST") ?? "0.0.0.0",
      log,
      ...(gheHost ? { baseUrl: `${gheProtocol}://${gheHost}/api/v3` } : {}),
      ...(options.Octokit ? { Octokit: options.Octokit } : {}),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new StartupError(`port ${port} is already in use (set PORT)`);
    if (code === "EACCES") throw new StartupError(`not allowed to listen on port ${port} (set PORT)`);
    if (code === "EADDRNOTAVAIL") throw new StartupError(`HOST is not an address of this machine`);
    throw err;
  }
  // PORT=0 picks a free port: whoever started the process learns it from this file.
  if (env.PORT_FILE) writeFileSync(env.PORT_FILE, new URL(server.url).port);

  const { shutdownGraceMs } = settings.instance;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    void server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
    setTimeout(() => process.exit(1), shutdownGraceMs + 5_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  return server;
}
