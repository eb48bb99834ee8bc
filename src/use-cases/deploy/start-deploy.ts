/**
 * `/deploy <env> [version]`, the part answered within the webhook: resolve the version and the
 * images, check the gates, take the environment's lock, create the GitHub Deployment (queued),
 * then hand the rollout to a background job.
 */
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import type { EnvironmentLock } from "../../domain/deploy/lock-message.js";
import { renderLockRefusal } from "../../domain/deploy/lock-message.js";
import { imageTagProblem, resolveServiceImages } from "../../domain/deploy/resolve-service-images.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { ClusterError } from "../../ports/cluster.js";
import {
  type DeployDeps,
  findEnvironment,
  type Invocation,
  isOutcome,
  resolveTarget,
} from "./deploy-deps.js";
import { checkApprovals } from "./check-approvals.js";
import { deployJobFor } from "./deploy-job.js";
import { driveDeploy } from "./drive-deploy.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { permissionToGrant, ReadRefusedError } from "./read-refused.js";
import { NoSuchContainerError, readCurrent } from "./rollout-steps.js";
import { acquireClearingStale } from "./stale-lock.js";
import { recordWatchFor } from "./watch-claims.js";
import { startWorkflowDeploy } from "./workflow-deploy.js";

export async function startDeploy(
  // The rollout it hands to the job tracker reaches every deploy port but the canary analysis'.
  deps: Omit<DeployDeps, "canaryMetrics" | "progress">,
  input: Invocation & {
    command: {
      env: string;
      version?: string | undefined;
      /** The Deployment's ref when it is no release tag (develop's commit, for an automatic deploy). */
      ref?: string | undefined;
      /** Why a deploy nobody asked for runs (recorded in the payload). */
      auto?: DeployPayload["auto"];
    };
  },
): Promise<Outcome> {
  const { command, ...call } = input;
  const envConfig = findEnvironment(call.config, command.env);
  if (isOutcome(envConfig)) return envConfig;
  const version = command.version ?? (await deps.tags.latest());
  if (!version)
    return outcome("not-found", "There is no release yet; name the version: `/deploy <env> <version>`.");
  const tag = await deps.tags.tagOf(version);
  if (envConfig.gates.releasedOnly && !tag)
    return outcome(
      "refused-gate",
      `\`${command.env}\` takes released versions only, and **${version}** has no tag \`${call.config.release.tagPrefix}${version}\`.`,
    );
  const unapproved = await checkApprovals(deps, call.config, command.env, version);
  if (unapproved) return unapproved;
  if (envConfig.driver)
    return startWorkflowDeploy(deps, call, {
      env: command.env,
      envConfig,
      driver: envConfig.driver,
      action: "deploy",
      version,
      ref: command.ref ?? tag ?? call.config.release.mainBranch,
      requireGreen: envConfig.gates.readiness,
      ...(command.auto ? { extra: { auto: command.auto } } : {}),
    });
  // A version that cannot tag an image is the command's mistake, not the config's.
  const tagProblem = imageTagProblem(version);
  if (tagProblem) return outcome("bad-command", `Cannot deploy to \`${command.env}\`: ${tagProblem}.`);
  const target = resolveTarget(deps, call.config, command.env);
  if (isOutcome(target)) return target;
  const { cluster } = target;
  const images = resolveServiceImages(target.env.services, call.config.release.projects ?? [], version);
  if (!images.ok) return outcome("bad-config", `Cannot deploy to \`${command.env}\`: ${images.error}.`);

  const lock: EnvironmentLock = {
    env: command.env,
    holder: call.actor,
    reason: `deploying ${version}`,
    since: deps.clock.now().toISOString(),
    kind: "deploy",
  };
  const ref = command.ref ?? tag ?? call.config.release.mainBranch;
  // The lock is a bare ref onto the commit being deployed; who holds it is in the record's payload.
  const acquired = await acquireClearingStale(deps, lock, target.env.timeoutSeconds, ref);
  if (acquired.kind === "held")
    return outcome("refused-locked", renderLockRefusal(acquired.lock, command.env));
  if (acquired.at !== undefined) lock.at = acquired.at;
  const cleared = acquired.cleared ? `${acquired.cleared}\n\n` : "";
  let handedOver = false;
  try {
    let services;
    try {
      services = await readCurrent(cluster, target.env.namespace, images.value);
    } catch (e) {
      if (e instanceof NoSuchContainerError || (e instanceof ClusterError && e.kind === "not-found"))
        return outcome("bad-config", `Cannot deploy to \`${command.env}\`: ${e.message}.`);
      // A permission to grant, which running the command again alone does not change.
      if (e instanceof ReadRefusedError)
        return outcome(
          "failed",
          `❌ Cannot deploy **${version}** to \`${command.env}\`: ${permissionToGrant(e)}, then run \`/deploy ${command.env} ${version}\` again. Nothing was changed.`,
        );
      throw e;
    }
    const payload: DeployPayload = {
      app: "release-pilot",
      action: "deploy",
      version,
      cluster: target.env.cluster,
      namespace: target.env.namespace,
      services,
      issue: call.issue,
      actor: call.actor,
      ...(command.auto ? { auto: command.auto } : {}),
      ...(lock.at !== undefined
        ? { lock: { holder: lock.holder, reason: lock.reason, since: lock.since, at: lock.at } }
        : {}),
      // This instance drives it: the record is its watch claim (watch-claims.ts).
      watch: recordWatchFor(deps, target.env.timeoutSeconds),
    };
    const created = await deps.records.create({
      environment: command.env,
      ref,
      task: "deploy",
      description: `deploy ${version} to ${command.env}`,
      payload,
      production: command.env === "production",
      requireGreen: envConfig.gates.readiness,
    });
    if (created.kind === "refused")
      return outcome("refused-gate", `GitHub refused the deployment of \`${ref}\`: ${created.message}`);
    // No `queued` status: the rollout starts at once and says `in_progress` (a status only on a
    // change of state, https://docs.github.com/en/rest/deployments/statuses).
    const job = deployJobFor(call, {
      env: command.env,
      envConfig: target.env,
      cluster,
      recordId: created.id,
      ref,
      payload,
      lock,
    });
    deps.jobs.run(`deploy ${command.env} #${created.id}`, () => driveDeploy(deps, job));
    handedOver = true;
    const list = services.map((s) => `- \`${s.deployment}\`: \`${s.previousImage ?? "?"}\` → \`${s.image}\``);
    return outcome(
      "in-progress",
      [
        `${cleared}🚢 Deploying **${version}** to \`${command.env}\` (deployment ${created.id}); \`${command.env}\` is locked until it ends. I will report here.`,
        "",
        ...list,
      ].join("\n"),
    );
  } finally {
    // The background job releases the lock once it runs; every earlier exit releases it here.
    if (!handedOver) await releaseOwnLock(deps.locks, lock);
  }
}
