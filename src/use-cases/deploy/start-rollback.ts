/**
 * `/rollback <env> [version | --revision N]`: what `kubectl rollout undo` does for each service
 * (to a revision, to the revision running a version, or to the last good one), recorded as a
 * GitHub Deployment of the version rolled back to, under the environment's lock.
 */
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import { type EnvironmentLock, renderLockRefusal } from "../../domain/deploy/lock-message.js";
import { resolveServiceImages, versionOfImage } from "../../domain/deploy/resolve-service-images.js";
import { type Outcome, outcome, type ReasonCode } from "../../domain/outcome.js";
import type { EnvironmentConfig, WorkflowDriver } from "../../config/sections/environments-section.js";
import {
  type DeployDeps,
  findEnvironment,
  type Invocation,
  isOutcome,
  resolveTarget,
  describeGitHubError,
} from "./deploy-deps.js";
import { deployJobFor } from "./deploy-job.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { acquireClearingStale } from "./stale-lock.js";
import { recordWatchFor } from "./watch-claims.js";
import { goodImagesOf, planRollbacks, type RollbackChoice, type ServiceRollback } from "./plan-rollbacks.js";
import { permissionToGrant, ReadRefusedError } from "./read-refused.js";
import { patchRollbacks } from "./apply-rollbacks.js";
import { PartialPatchError } from "./rollout-steps.js";
import { ClusterError } from "../../ports/cluster.js";
import { recordRollback } from "./record-rollback.js";
import { Timeline } from "./timeline.js";
import { previousGoodVersion, startWorkflowDeploy } from "./workflow-deploy.js";

export interface RollbackCommand {
  env: string;
  version?: string | undefined;
  revision?: number | undefined;
}

const refusalReason = (plans: readonly ServiceRollback[]): ReasonCode => {
  const reasons = plans.map((p) => (p.plan.kind === "refused" ? p.plan.reason : "patch"));
  if (reasons.every((r) => r === "already-current")) return "already-done";
  if (reasons.includes("paused")) return "conflict";
  return "not-found";
};

interface PlannedRollback {
  plans: ServiceRollback[];
  patches: ServiceRollback[];
  toVersion: string;
  fromVersion: string;
}

/** What each service rolls back to (read from the cluster and the records); changes nothing. */
async function planRollback(
  deps: DeployDeps,
  call: Invocation,
  command: RollbackCommand,
  target: Exclude<ReturnType<typeof resolveTarget>, Outcome>,
): Promise<PlannedRollback | Outcome> {
  const { env: envConfig, cluster } = target;
  let choice: RollbackChoice;
  if (command.revision !== undefined) choice = { kind: "revision", revision: command.revision };
  else if (command.version !== undefined) {
    const images = resolveServiceImages(
      envConfig.services,
      call.config.release.projects ?? [],
      command.version,
    );
    if (!images.ok) return outcome("bad-config", `Cannot roll back \`${command.env}\`: ${images.error}.`);
    choice = { kind: "image", images: new Map(images.value.map((s) => [s.deployment, s.image])) };
  } else {
    const records = await deps.records.list({ environment: command.env, limit: 30 });
    choice = { kind: "last-good", good: goodImagesOf(records) };
  }
  const services = envConfig.services.map((s) => ({ deployment: s.deployment, container: s.container }));
  const plans = await planRollbacks(cluster, envConfig.namespace, services, choice);
  const patches = plans.filter((p) => p.plan.kind === "patch");
  if (patches.length === 0)
    return outcome(
      refusalReason(plans),
      [
        `Nothing to roll back on \`${command.env}\`:`,
        ...plans.map((p) => `- \`${p.deployment}\`: ${p.plan.message}`),
      ].join("\n"),
    );
  const toVersion = command.version ?? patches.map((p) => versionOfImage(p.image)).find(Boolean) ?? "unknown";
  const current = await cluster.getDeployment(envConfig.namespace, patches[0]?.deployment ?? "");
  const fromImage = current.spec?.template?.spec?.containers.find(
    (c) => c.name === patches[0]?.container,
  )?.image;
  return { plans, patches, toVersion, fromVersion: versionOfImage(fromImage) ?? "unknown" };
}

/** The command as the user typed it, to run again. */
const again = (command: RollbackCommand): string =>
  `/rollback ${command.env}${command.version ? ` ${command.version}` : ""}${command.revision !== undefined ? ` --revision ${command.revision}` : ""}`;

export async function startRollback(
  // The rollback it hands to the job tracker reaches every deploy port but the canary analysis'.
  deps: Omit<DeployDeps, "canaryMetrics" | "progress">,
  input: Invocation & { command: RollbackCommand },
): Promise<Outcome> {
  const { command, ...call } = input;
  const found = findEnvironment(call.config, command.env);
  if (isOutcome(found)) return found;
  if (found.driver) return startWorkflowRollback(deps, call, command, found, found.driver);
  const target = resolveTarget(deps, call.config, command.env);
  if (isOutcome(target)) return target;
  const { env: envConfig, cluster } = target;
  // The lock is taken while the rollback is planned (it does not depend on the plan), so the
  // cluster is patched one round trip after the plan is known.
  const lock: EnvironmentLock = {
    env: command.env,
    holder: call.actor,
    reason: `rolling back to ${command.version ?? (command.revision !== undefined ? `revision ${command.revision}` : "the last good revision")}`,
    since: deps.clock.now().toISOString(),
    kind: "deploy",
  };
  // A bare ref onto the default branch's head (the version rolled back to is not known yet); who
  // holds it is in the record's payload.
  const acquiring = acquireClearingStale(
    deps,
    lock,
    envConfig.timeoutSeconds,
    call.config.release.mainBranch,
  );
  acquiring.catch(() => undefined); // awaited below, after the plan
  let planned: PlannedRollback | Outcome;
  try {
    planned = await planRollback(deps, call, command, target);
  } catch (e) {
    const got = await acquiring.catch(() => undefined);
    if (got?.kind === "acquired") await releaseOwnLock(deps.locks, { ...lock, at: got.at });
    // A permission to grant, which running the command again alone does not change.
    if (e instanceof ReadRefusedError)
      return outcome(
        "failed",
        `❌ Cannot roll \`${command.env}\` back: ${permissionToGrant(e)}, then run \`${again(command)}\` again. Nothing was changed.`,
      );
    throw e;
  }
  const acquired = await acquiring;
  if (acquired.kind === "acquired" && acquired.at !== undefined) lock.at = acquired.at;
  if (isOutcome(planned)) {
    if (acquired.kind === "acquired") await releaseOwnLock(deps.locks, lock);
    return planned;
  }
  if (acquired.kind === "held")
    return outcome("refused-locked", renderLockRefusal(acquired.lock, command.env));
  const { plans, patches, toVersion, fromVersion } = planned;
  let handedOver = false;
  try {
    // The emergency path: the cluster is patched as soon as the lock is held; the Deployment
    // record, its statuses and the replies follow while the rollout proceeds.
    const timeline = new Timeline(deps.clock);
    timeline.add(`@${call.actor} asked to roll \`${command.env}\` back (${call.issueUrl})`);
    let patched: Awaited<ReturnType<typeof patchRollbacks>>;
    try {
      patched = await patchRollbacks(cluster, envConfig.namespace, plans, timeline);
    } catch (e) {
      if (!(e instanceof PartialPatchError)) throw e;
      return outcome(
        "failed",
        [
          `❌ Rolling \`${command.env}\` back to **${toVersion}** failed: \`${e.service}\` could not be patched (${e.cause instanceof ClusterError ? `Kubernetes answered ${e.cause.status ?? e.cause.kind}` : describeGitHubError(e.cause)}). All or nothing: any service rolled back before it was put back, so \`${command.env}\` is not left on mixed versions:`,
          "",
          ...e.states.map((line) => `- ${line}`),
          "",
          // Nothing retries by itself: say what does.
          e.cause instanceof ClusterError && e.cause.kind === "forbidden"
            ? `Kubernetes refused release-pilot permission: give the app's role \`patch\` on deployments in the namespace \`${envConfig.namespace}\` (see docs/kubernetes.md), then run \`${again(command)}\` again.`
            : `Nothing is retried by itself: run \`${again(command)}\` again once the cause is fixed; \`/status ${command.env}\` shows each service.`,
        ].join("\n"),
      );
    }
    const payload: DeployPayload = {
      app: "release-pilot",
      action: "rollback",
      version: toVersion,
      cluster: envConfig.cluster,
      namespace: envConfig.namespace,
      services: patches.map((p) => ({
        name: p.deployment,
        deployment: p.deployment,
        container: p.container,
        image: p.image ?? "",
      })),
      issue: call.issue,
      actor: call.actor,
      ...(lock.at !== undefined
        ? { lock: { holder: lock.holder, reason: lock.reason, since: lock.since, at: lock.at } }
        : {}),
      // This instance watches it: the record is its watch claim (watch-claims.ts).
      watch: recordWatchFor(deps, envConfig.timeoutSeconds),
    };
    const ref = (await deps.tags.tagOf(toVersion).catch(() => undefined)) ?? call.config.release.mainBranch;
    // The cluster is already rolled back: a record GitHub refuses does not undo that, and the
    // reply says so rather than "failed".
    const created = await deps.records
      .create({
        environment: command.env,
        ref,
        task: "deploy:rollback",
        description: `rollback of ${command.env} to ${toVersion}`,
        payload,
        production: command.env === "production",
        requireGreen: false,
      })
      .catch((e: unknown) => ({ kind: "refused" as const, message: describeGitHubError(e) }));
    if (created.kind === "refused")
      return outcome(
        "failed",
        `\`${command.env}\` was rolled back to **${toVersion}**, but GitHub refused to record it: ${created.message}. Its rollout is not followed here: \`/status ${command.env}\` shows it.`,
      );
    // No status until the outcome: the cluster is patched already and its rollout takes seconds;
    // the record is pending meanwhile and its payload's watch claim marks it in flight.
    const job = deployJobFor(call, {
      env: command.env,
      envConfig,
      cluster,
      recordId: created.id,
      ref,
      payload,
      lock,
    });
    deps.jobs.run(`rollback ${command.env} #${created.id}`, async () => {
      try {
        const report = await recordRollback(deps, job, plans, {
          action: "rollback",
          fromVersion,
          toVersion,
          cause: `manual rollback by @${call.actor}`,
          trigger: "manual",
          timeline,
          recordId: created.id,
          patched,
        });
        await deps.thread.reply(
          [
            report.ok
              ? `↩️ \`${command.env}\` rolled back to **${toVersion}**:`
              : `⚠️ The rollback of \`${command.env}\` did not complete:`,
            ...report.lines,
            ...(report.postMortemUrl ? ["", `Post-mortem: ${report.postMortemUrl}`] : []),
          ].join("\n"),
        );
      } catch (e) {
        await deps.records.setStatus(created.id, "error").catch(() => undefined);
        await deps.thread.reply(
          `❌ The rollback of \`${command.env}\` stopped: ${e instanceof Error ? e.message : String(e)}`,
        );
      } finally {
        await releaseOwnLock(deps.locks, lock);
      }
    });
    handedOver = true;
    return outcome(
      "in-progress",
      [
        `${acquired.cleared ? `${acquired.cleared}\n\n` : ""}↩️ Rolling \`${command.env}\` back to **${toVersion}** (deployment ${created.id}); \`${command.env}\` is locked until it ends.`,
        "",
        ...patches.map(
          (p) =>
            `- \`${p.deployment}\` → revision ${p.plan.kind === "patch" ? p.plan.toRevision : "?"} (\`${p.image ?? "?"}\`)`,
        ),
        ...plans
          .filter((p) => p.plan.kind === "refused")
          .map((p) => `- \`${p.deployment}\`: ${p.plan.message}`),
      ].join("\n"),
    );
  } finally {
    if (!handedOver) await releaseOwnLock(deps.locks, lock);
  }
}

/**
 * `/rollback` on an environment a workflow deploys: the same workflow, dispatched with the version
 * named, else the version of the newest successful Deployment before the current one.
 */
async function startWorkflowRollback(
  deps: DeployDeps,
  call: Invocation,
  command: RollbackCommand,
  envConfig: EnvironmentConfig,
  driver: WorkflowDriver,
): Promise<Outcome> {
  if (command.revision !== undefined)
    return outcome(
      "bad-command",
      `\`${command.env}\` is deployed by the workflow \`${driver.workflow}\`, which knows no revisions: name the version, \`/rollback ${command.env} <version>\`.`,
    );
  let version = command.version;
  if (version === undefined) {
    const records = await deps.records.list({ environment: command.env, limit: 30 });
    const { current, previous } = previousGoodVersion(records);
    if (!previous)
      return outcome(
        "not-found",
        `Nothing to roll back to on \`${command.env}\`: no successful deploy of a version other than ${current ? `**${current}**` : "the current one"} is recorded. Name the version: \`/rollback ${command.env} <version>\`.`,
      );
    version = previous;
  }
  return startWorkflowDeploy(deps, call, {
    env: command.env,
    envConfig,
    driver,
    action: "rollback",
    version,
    ref: (await deps.tags.tagOf(version)) ?? call.config.release.mainBranch,
    requireGreen: false,
  });
}
