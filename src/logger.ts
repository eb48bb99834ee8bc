import { pino, type Logger } from "pino";

/** Paths whose values never reach a log line. */
export const redactedPaths = [
  "privateKey",
  "*.privateKey",
  "webhookSecret",
  "*.webhookSecret",
  "token",
  "*.token",
  "*.*.token",
  // An outbound client's options or a failed request's (MLflow's bearer token).
  "authorization",
  "*.authorization",
  "*.*.headers.authorization",
  "err.request.headers.authorization",
  // The process environment (secrets such as an MLflow token), should a caller log it.
  "env",
  "*.env",
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
