import { readFileSync, writeFileSync } from "node:fs";
import { instanceSettingsFromEnv } from "./adapters/jobs/instance-settings.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";

/** `npm start`: reads the App's credentials from the environment (see .env.example). */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    console.error(`release-pilot: ${name} is not set (see .env.example)`);
    process.exit(2);
  }
  return value;
};

const privateKey =
  process.env.PRIVATE_KEY ??
  (process.env.PRIVATE_KEY_PATH
    ? readFileSync(process.env.PRIVATE_KEY_PATH, "utf8")
    : required("PRIVATE_KEY"));
const log = createLogger();
const server = await startServer({
  appId: required("APP_ID"),
  privateKey: privateKey.replace(/\\n/g, "\n"),
  webhookSecret: required("WEBHOOK_SECRET"),
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? "0.0.0.0",
  log,
  ...(process.env.GHE_HOST
    ? { baseUrl: `${process.env.GHE_PROTOCOL ?? "https"}://${process.env.GHE_HOST}/api/v3` }
    : {}),
});

// PORT=0 picks a free port: whoever started the process learns it from this file.
if (process.env.PORT_FILE) writeFileSync(process.env.PORT_FILE, new URL(server.url).port);

// SIGTERM: stop taking webhooks, let running rollouts finish for a while, hand the rest over
// (see hand-off.ts), exit 0. Within a pod's 30 s grace period by default.
const { shutdownGraceMs } = instanceSettingsFromEnv();
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
