/**
 * The running process around the server: settings from the environment (see .env.example),
 * `PORT_FILE` for a caller that asked for PORT=0, and the stop on SIGTERM/SIGINT: stop taking
 * webhooks, let running rollouts finish for a while, hand the rest over (see hand-off.ts), exit 0,
 * all within a pod's 30 s grace period by default.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Level } from "pino";
import type { ProbotOctokit } from "probot";
import { instanceSettingsFromEnv } from "./adapters/jobs/instance-settings.js";
import { createLogger } from "./logger.js";
import { type RunningServer, startServer } from "./server.js";

export interface StartFromEnvOptions {
  /** Octokit class for the app (tests of the process turn request throttling off). */
  Octokit?: typeof ProbotOctokit;
}

export async function startFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: StartFromEnvOptions = {},
): Promise<RunningServer> {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) {
      console.error(`release-pilot: ${name} is not set (see .env.example)`);
      process.exit(2);
    }
    return value;
  };
  const privateKey =
    env.PRIVATE_KEY ??
    (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : required("PRIVATE_KEY"));
  const log = env.LOG_LEVEL ? createLogger(env.LOG_LEVEL as Level) : createLogger();
  const server = await startServer({
    appId: required("APP_ID"),
    privateKey: privateKey.replace(/\\n/g, "\n"),
    webhookSecret: required("WEBHOOK_SECRET"),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? "0.0.0.0",
    log,
    ...(env.GHE_HOST ? { baseUrl: `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` } : {}),
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  // PORT=0 picks a free port: whoever started the process learns it from this file.
  if (env.PORT_FILE) writeFileSync(env.PORT_FILE, new URL(server.url).port);

  const { shutdownGraceMs } = instanceSettingsFromEnv(env);
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
