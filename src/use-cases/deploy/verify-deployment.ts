/** After the rollouts: the health-check URLs must answer 2xx, then the smoke workflow must pass. */
import type { EnvironmentConfig } from "../../config/sections/environments-section.js";
import type { DeployDeps } from "./deploy-deps.js";
import type { DeployJob } from "./deploy-job.js";
import type { Timeline } from "./timeline.js";

export type Verification =
  | { ok: true; links: { title: string; url: string }[] }
  | { ok: false; cause: string; links: { title: string; url: string }[] };

const ATTEMPTS = 3;
const PAUSE_MS = 2000;

export async function verifyDeployment(
  deps: Pick<DeployDeps, "probe" | "smoke" | "sleep">,
  env: EnvironmentConfig,
  run: { ref: string; version: string; environment: string; timeoutMs: number },
  timeline: Timeline,
): Promise<Verification> {
  for (const url of env.healthChecks) {
    let last = "";
    let healthy = false;
    for (let attempt = 1; attempt <= ATTEMPTS && !healthy; attempt++) {
      if (attempt > 1) await deps.sleep(PAUSE_MS);
      const result = await deps.probe(url);
      healthy = result.ok;
      last = result.ok ? String(result.status) : result.detail;
    }
    timeline.add(`health check ${url}: ${healthy ? `healthy (${last})` : `unhealthy (${last})`}`);
    if (!healthy) return { ok: false, cause: `health check ${url} failed: ${last}`, links: [] };
  }
  if (!env.smokeWorkflow) return { ok: true, links: [] };
  timeline.add(`dispatched smoke tests \`${env.smokeWorkflow}\` on \`${run.ref}\``);
  const smoke = await deps.smoke.run(
    env.smokeWorkflow,
    run.ref,
    { environment: run.environment, version: run.version },
    run.timeoutMs,
  );
  const links = "url" in smoke && smoke.url ? [{ title: "smoke tests run", url: smoke.url }] : [];
  switch (smoke.kind) {
    case "passed":
      timeline.add("smoke tests passed");
      return { ok: true, links };
    case "failed":
      timeline.add(`smoke tests concluded ${smoke.conclusion}`);
      return { ok: false, cause: `smoke tests concluded **${smoke.conclusion}**`, links };
    case "timed-out":
      timeline.add("smoke tests did not finish in time");
      return { ok: false, cause: "smoke tests did not finish in time", links };
    case "not-started":
      timeline.add(smoke.message);
      return { ok: false, cause: smoke.message, links };
  }
}

/** Verify what a deploy job put in place: its ref and version, within its environment's timeout. */
export const verifyDeployJob = (
  deps: DeployDeps,
  job: Pick<DeployJob, "env" | "envConfig" | "ref" | "payload">,
  timeline: Timeline,
): Promise<Verification> =>
  verifyDeployment(
    deps,
    job.envConfig,
    {
      ref: job.ref,
      version: job.payload.version,
      environment: job.env,
      timeoutMs: job.envConfig.timeoutSeconds * 1000,
    },
    timeline,
  );
