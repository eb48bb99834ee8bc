/**
 * Cold start and idle memory of the app against a bare Probot app, side by side: each side as a
 * plain `node` process on compiled JavaScript (the app's `lib/main.js`, as `npm start` runs it;
 * bench/bare-app.mjs), alternating which starts first, the median of several rounds. Cold start
 * is spawn → the first 200 from GET /healthz; idle RSS is the process's VmRSS a moment after.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { startGitHubSandbox } from "../sandbox/github/index.js";
import { seedSample, WEBHOOK_SECRET } from "../sandbox/harness/e2e.js";
import { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { appIdentityEnv, processMemoryMb, ROOT, startBareApp, startNodeProcess } from "./processes.js";
import { median, round } from "./stats.js";

export interface StartupFigures {
  rounds: number;
  /** Per side: each round's cold start (ms) and idle RSS (MB). */
  app: { coldStartMs: number[]; idleRssMb: number[] };
  bare: { coldStartMs: number[]; idleRssMb: number[] };
  appColdStartMs: number;
  bareColdStartMs: number;
  coldStartRatio: number;
  appIdleRssMb: number;
  bareIdleRssMb: number;
  idleRssRatio: number;
  how: string;
}

/** `tsc -p tsconfig.build.json`: the app is measured as it ships, compiled. */
export const buildApp = (): void => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const built = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`bench: the build failed:\n${built.stdout}${built.stderr}`);
};

const IDLE_MS = 1500;

const once = async (start: () => ReturnType<typeof startBareApp>) => {
  const running = await start();
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const memory = processMemoryMb(running.pid);
    if (!memory) throw new Error("bench: could not read the process's memory (/proc)");
    return { coldStartMs: running.readyMs, idleRssMb: memory.rss };
  } finally {
    await running.stop();
  }
};

/** The app's GitHub is a seeded sandbox (the app lists its installations once it listens). */
export const benchStartup = async (rounds = 5): Promise<StartupFigures> => {
  buildApp();
  const github = await startGitHubSandbox({
    webhook: { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET },
  });
  try {
    await seedSample(github, new TestOctokit({ auth: "admin-token", baseUrl: github.url }));
    return await measureStartup(new URL(github.url), rounds);
  } finally {
    await github.close();
  }
};

const measureStartup = async (sandbox: URL, rounds: number): Promise<StartupFigures> => {
  const startApp = () =>
    startNodeProcess(["lib/main.js"], { ...appIdentityEnv(), GHE_HOST: sandbox.host, GHE_PROTOCOL: "http" });
  const app = { coldStartMs: [] as number[], idleRssMb: [] as number[] };
  const bare = { coldStartMs: [] as number[], idleRssMb: [] as number[] };
  const add = (side: typeof app, r: { coldStartMs: number; idleRssMb: number }) => {
    side.coldStartMs.push(round(r.coldStartMs, 1));
    side.idleRssMb.push(round(r.idleRssMb, 1));
  };
  // One start of each first, unmeasured: the file system cache warm for both.
  await once(startApp);
  await once(startBareApp);
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      add(app, await once(startApp));
      add(bare, await once(startBareApp));
    } else {
      add(bare, await once(startBareApp));
      add(app, await once(startApp));
    }
  }
  const appColdStartMs = median(app.coldStartMs);
  const bareColdStartMs = median(bare.coldStartMs);
  const appIdleRssMb = median(app.idleRssMb);
  const bareIdleRssMb = median(bare.idleRssMb);
  return {
    rounds,
    app,
    bare,
    appColdStartMs,
    bareColdStartMs,
    coldStartRatio: round(appColdStartMs / bareColdStartMs),
    appIdleRssMb,
    bareIdleRssMb,
    idleRssRatio: round(appIdleRssMb / bareIdleRssMb),
    how:
      `node lib/main.js vs node bench/bare-app.mjs, each its own process; spawn → first 200 from /healthz; ` +
      `VmRSS ${IDLE_MS} ms after; ${rounds} alternating rounds after one warm-up start each, medians`,
  };
};
