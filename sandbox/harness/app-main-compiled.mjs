// The process sandbox/harness/app-process.ts starts with `compiled: true`: the same as
// app-main.ts (src/main.ts's `startFromEnv` with Octokit's request throttling off), on the
// compiled `lib/` (`npm run build` first) and run by plain `node`, as `npm start` runs the app.
// The bench compares it with bench/bare-app.mjs, so neither side pays a loader's transform.
import { ProbotOctokit } from "probot";

// Built by `npm run build` (lib/ is not in the repository), so imported by its URL.
const compiled = new URL("../../lib/composition/start-from-env.js", import.meta.url);
const { startFromEnv } = await import(compiled.href);

const Unthrottled = ProbotOctokit.defaults((options) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
}));

const server = await startFromEnv(process.env, { Octokit: Unthrottled });

// The harness asks over the IPC channel whether the work of answered deliveries is done
// (`AppProcess.idle()`); the channel does not keep the process alive.
process.channel?.unref();
process.on("message", (message) => {
  if (message !== "idle?" && message !== "jobs idle?") return;
  void server.idle({ jobs: message === "jobs idle?" }).then((busy) => process.send?.({ idle: true, busy }));
});
