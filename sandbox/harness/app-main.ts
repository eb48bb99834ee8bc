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

const server = await startFromEnv(process.env, { Octokit: Unthrottled });

// The harness asks over the IPC channel whether the work of answered deliveries is done
// (`AppProcess.idle()`); the channel does not keep the process alive.
process.channel?.unref();
process.on("message", (message: unknown) => {
  if (message !== "idle?" && message !== "jobs idle?") return;
  void server.idle({ jobs: message === "jobs idle?" }).then((busy) => process.send?.({ idle: true, busy }));
});
