/**
 * The process sandbox/harness/app-process.ts starts: src/main.ts's `startFromEnv` with one change,
 * request throttling off (Octokit spaces an installation's writes a second apart, which would
 * make each process test last a minute). Retries stay on, as in production.
 */
import { ProbotOctokit } from "probot";
import { startFromEnv } from "../../src/composition/start-from-env.js";

const Unthrottled = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
}));

await startFromEnv(process.env, { Octokit: Unthrottled });
