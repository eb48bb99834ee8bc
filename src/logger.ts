import { pino, type Logger } from "pino";

/** Paths whose values never reach a log line. */
export const redactedPaths = [
  "privateKey",
  "*.privateKey",
  "webhookSecret",
  "*.webhookSecret",
  "token",
  "*.token",
  "req.headers.authorization",
  "*.headers.authorization",
  "headers.authorization",
  'req.headers["x-hub-signature-256"]',
  "event.signature",
  "err.event.signature",
  "err.event.event.signature",
  "err.aggregateErrors[*].event.signature",
  "*.password",
];

/** Structured JSON logs with secrets redacted; handlers add the delivery id to each line. */
export const createLogger = (level = process.env.LOG_LEVEL ?? "info"): Logger =>
  pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" }, base: { app: "release-pilot" } });
