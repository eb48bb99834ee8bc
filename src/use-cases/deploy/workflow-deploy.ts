/**
 * The workflow driver: an environment deployed by a GitHub Actions workflow instead of the
 * cluster API. The same Deployment records as the cluster driver (payload plus the driver), the
 * same lock; the workflow is dispatched with the environment, the version and the Deployment's
 * id, its run becomes the Deployment's log, and its conclusion the Deployment's final status.
 */
import type { EnvironmentConfig, WorkflowDriver } from "../../config/sections/environments-section.js";
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import { type EnvironmentLock, renderLockRefusal } from "../../domain/deploy/lock-message.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { SmokeResult } from "../../ports/deployments.js";
import type { DeployDeps, Invocation } from "./deploy-deps.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { Timeline } from "./timeline.js";
import { verifyDeployJob } from "./verify-deployment.js";

export interface WorkflowDeployRequest {
  env: string;
  envConfig: EnvironmentConfig;
  driver: WorkflowDriver;
  action: "deploy" | "rollback";
  version: string;
  /** The Deployment's ref (the release tag, else the main branch). */
  ref: string;
  requireGreen: boolean;
  /** Extra fields of the payload (an automatic deploy says why). */
  extra?: Partial<DeployPayload>;
}

interface WorkflowJob {
  env: string;
  envConfig: EnvironmentConfig;
  recordId: number;
  ref: string;
  payload: DeployPayload & { driver: NonNullable<DeployPayload["driver"]> };
  lock: EnvironmentLock;
  issueUrl: string;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const headOf = (job: WorkflowJob): string =>
  job.payload.action === "rollback"
    ? `Rollback of \`${job.env}\` to **${job.payload.version}**`
    : `Deploy of **${job.payload.version}** to \`${job.env}\``;

/** Take the lock, record the Deployment (queued) and hand the workflow run to a background job. */
export async function startWorkflowDeploy(
  deps: DeployDeps,
  call: Invocation,
  request: WorkflowDeployRequest,
): Promise<Outcome> {
  const { env, driver, action, version } = request;
  const lock: EnvironmentLock = {
    env,
    holder: call.actor,
    reason: `${action === "rollback" ? "rolling back to" : "deploying"} ${version}`,
    since: deps.clock.now().toISOString(),
    kind: "deploy",
  };
  const acquired = await deps.locks.acquire(lock);
  if (acquired.kind === "held") return outcome("refused-locked", renderLockRefusal(acquired.lock, env));
  let handedOver = false;
  try {
    const payload: WorkflowJob["payload"] = {
      app: "release-pilot",
      action,
      version,
      cluster: "",
      namespace: "",
      services: [],
      issue: call.issue,
      actor: call.actor,
      ...request.extra,
      driver: {
        kind: "workflow",
        workflow: driver.workflow,
        ref: driver.ref ?? call.config.release.mainBranch,
      },
    };
    const created = await deps.records.create({
      environment: env,
      ref: request.ref,
      task: action === "rollback" ? "deploy:rollback" : "deploy",
      description: `${action === "rollback" ? "rollback of" : `deploy ${version} to`} ${env}${action === "rollback" ? ` to ${version}` : ""} (workflow ${driver.workflow})`,
      payload,
      production: env === "production",
      requireGreen: request.requireGreen,
    });
    if (created.kind === "refused")
      return outcome(
        action === "rollback" ? "failed" : "refused-gate",
        `GitHub refused the deployment of \`${request.ref}\`: ${created.message}`,
      );
    await deps.records.setStatus(created.id, "queued", { logUrl: call.issueUrl });
    const job: WorkflowJob = {
      env,
      envConfig: request.envConfig,
      recordId: created.id,
      ref: request.ref,
      payload,
      lock,
      issueUrl: call.issueUrl,
    };
    deps.jobs.run(`workflow ${action} ${env} #${created.id}`, () => driveWorkflowDeploy(deps, job));
    handedOver = true;
    const verb =
      action === "rollback"
        ? `↩️ Rolling \`${env}\` back to **${version}**`
        : `🚢 Deploying **${version}** to \`${env}\``;
    return outcome(
      "in-progress",
      `${verb} with the workflow \`${driver.workflow}\` on \`${payload.driver.ref}\` (deployment ${created.id}); \`${env}\` is locked until it ends. I will report here.`,
    );
  } finally {
    if (!handedOver) await releaseOwnLock(deps.locks, lock);
  }
}

const failureOf = (result: Exclude<SmokeResult, { kind: "passed" }>, workflow: string): string => {
  switch (result.kind) {
    case "failed":
      return `the workflow run concluded **${result.conclusion}**`;
    case "timed-out":
      return `the workflow run did not finish in time`;
    case "not-started":
      return `${result.message} (does \`${workflow}\` declare \`workflow_dispatch\` with the inputs environment, version and deployment_id?)`;
  }
};

/** Dispatch, follow the run, verify, set the final status, reply once, give the lock back. */
export async function driveWorkflowDeploy(deps: DeployDeps, job: WorkflowJob): Promise<void> {
  const { env, payload } = job;
  const { workflow, ref } = payload.driver;
  const timeline = new Timeline(deps.clock);
  let runUrl: string | undefined;
  try {
    timeline.add(`dispatched \`${workflow}\` on \`${ref}\``);
    const result = await deps.smoke.run(
      workflow,
      ref,
      { environment: env, version: payload.version, deployment_id: String(job.recordId) },
      job.envConfig.timeoutSeconds * 1000,
      async (url) => {
        runUrl = url;
        await deps.records.setStatus(job.recordId, "in_progress", { logUrl: url });
      },
    );
    runUrl = "url" in result && result.url ? result.url : runUrl;
    const run = runUrl ? ` ([workflow run](${runUrl}))` : "";
    let cause = result.kind === "passed" ? undefined : failureOf(result, workflow);
    let links: { title: string; url: string }[] = [];
    if (!cause) {
      const verified = await verifyDeployJob(deps, job, timeline);
      links = verified.links;
      if (!verified.ok) cause = verified.cause;
    }
    const linkLines = links.map((l) => `- [${l.title}](${l.url})`);
    if (!cause) {
      await deps.records.setStatus(job.recordId, "success", {
        description: `${payload.version} is live`,
        ...(job.envConfig.url ? { environmentUrl: job.envConfig.url } : {}),
        ...(runUrl ? { logUrl: runUrl } : {}),
      });
      await deps.thread.reply([`✅ ${headOf(job)} succeeded${run}.`, ...linkLines].join("\n"));
      return;
    }
    await deps.records.setStatus(job.recordId, result.kind === "not-started" ? "error" : "failure", {
      description: cause.replace(/\*\*/g, "").slice(0, 140),
      ...(runUrl ? { logUrl: runUrl } : {}),
    });
    const next =
      payload.action === "rollback"
        ? ""
        : `\n\n\`/rollback ${env}\` dispatches \`${workflow}\` with the version before it.`;
    await deps.thread.reply([`❌ ${headOf(job)} failed: ${cause}${run}.`, ...linkLines].join("\n") + next);
  } catch (e) {
    deps.log.error({ err: e, deployment: job.recordId }, "workflow deploy failed");
    await deps.records
      .setStatus(job.recordId, "error", {
        description: describe(e).slice(0, 140),
        ...(runUrl ? { logUrl: runUrl } : {}),
      })
      .catch(() => undefined);
    await deps.thread.reply(`❌ ${headOf(job)} stopped: ${describe(e)}`).catch(() => undefined);
  } finally {
    await releaseOwnLock(deps.locks, job.lock).catch((e: unknown) =>
      deps.log.error({ err: e, env }, "could not release the environment lock"),
    );
  }
}

/**
 * What a rollback goes back to (records newest first): the newest successful Deployment of a
 * version other than the current one (the newest Deployment's, whether it succeeded or not).
 */
export const previousGoodVersion = (
  records: readonly { everSucceeded: boolean; payload: DeployPayload | undefined }[],
): { current: string | undefined; previous: string | undefined } => {
  const ours = records.filter((r) => r.payload !== undefined);
  const current = ours[0]?.payload?.version;
  const previous = ours.find((r) => r.everSucceeded && r.payload?.version !== current)?.payload?.version;
  return { current, previous };
};
