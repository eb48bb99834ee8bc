import { pino, type Logger, type LoggerOptions } from "pino";

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

/**
 * One key once per line. pino writes a child's bindings after its parent's, so Probot's
 * `child({ name: "probot" })` then `child({ name: "event" })` gives a line with two `name` keys
 * (valid JSON text, but log stores keep either one). Such a line is parsed (the last value wins,
 * as in ECMA-262's JSON.parse: the innermost child's) and written again; others pass as they are.
 */
export const dedupeKeys = (line: string): string => {
  const first = line.indexOf('"name":');
  if (first < 0 || line.indexOf('"name":', first + 1) < 0) return line;
  try {
    return `${JSON.stringify(JSON.parse(line))}\n`;
  } catch {
    return line;
  }
};

/** The options of every logger the app makes (tests build theirs from these too). */
export const loggerOptions = (level: string): LoggerOptions => ({
  level,
  redact: { paths: redactedPaths, censor: "[redacted]" },
  base: { app: "release-pilot" },
  hooks: { streamWrite: dedupeKeys },
});

/** Structured JSON logs with secrets redacted; handlers add the delivery id to each line. */
export const createLogger = (level = "info"): Logger => pino(loggerOptions(level));
