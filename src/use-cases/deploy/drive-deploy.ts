/**
 * The part of `/deploy` that runs after the webhook was answered: claim the watch, set images,
 * watch the rollouts, verify, and on failure roll back to the last good revision. Always ends
 * with the Deployment's final status, one reply, and the environment lock released, unless the
 * watch passed to another instance (handed over on stop, or taken over once expired), which
 * then concludes it.
 */
import { ClusterError } from "../../ports/cluster.js";
import { autoRollback } from "./auto-rollback.js";
import type { DeployDeps } from "./deploy-deps.js";
import { claimKeyOf, type DeployJob } from "./deploy-job.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { applyImages, PartialPatchError, watchRollouts } from "./rollout-steps.js";
import { Timeline } from "./timeline.js";
import { concludeTold, toldMarker } from "./told-conclusion.js";
import { verifyDeployJob } from "./verify-deployment.js";
import {
  handOverWatch,
  inFlightRecord,
  phaseMs,
  releaseWatch,
  renewWatch,
  takeWatch,
  WatchLostError,
} from "./watch-claims.js";

/** Read the record again: whether it is still in flight (another instance may have finished it). */
export async function stillInFlight(deps: Pick<DeployDeps, "records">, recordId: number): Promise<boolean> {
  const record = await deps.records.get(recordId);
  return record !== undefined && inFlightRecord(record);
}

/** An error as the reply says it, named after the system that failed. */
const describe = (e: unknown): string =>
  e instanceof ClusterError
    ? `Kubernetes${e.status !== undefined ? ` answered ${e.status}` : ""}: ${e.message}`
    : e instanceof Error
      ? e.message
      : String(e);

/**
 * Write the Deployment's final status, retried past the client's own retries. When GitHub keeps
 * refusing it, the rollout's result stands: the lines returned tell the user that the record could
 * not be written (and stays in progress until a restart of release-pilot concludes it).
 */
async function recordConclusion(
  deps: Pick<DeployDeps, "records" | "sleep" | "log">,
  job: DeployJob,
  state: "success" | "failure",
  options: { description: string; environmentUrl?: string; logUrl: string },
  delaysMs: readonly number[] = [1000, 4000],
): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.records.setStatus(job.recordId, state, options);
      return [];
    } catch (e) {
      const delay = delaysMs[attempt];
      if (delay === undefined) {
        deps.log.error({ err: e, deployment: job.recordId }, "could not record the final status");
        const status = typeof e === "object" && e !== null && "status" in e ? e.status : undefined;
        return [
          "",
          `⚠️ GitHub refused the final status of deployment ${job.recordId} (${typeof status === "number" ? `HTTP ${status}` : describe(e)}): the record still says in progress, although the rollout ${state === "success" ? "succeeded" : "failed"} as said above. The next start of release-pilot concludes it.`,
          toldMarker(job.recordId, state),
        ];
      }
      await deps.sleep(delay);
    }
  }
}

export async function driveDeploy(
  deps: DeployDeps,
  job: DeployJob,
  timeline = new Timeline(deps.clock),
): Promise<void> {
  await tryDriveDeploy(deps, job, timeline);
}

/** Drives the rollout to its end; false when it could not take the watch (another instance has it). */
export async function tryDriveDeploy(
  deps: DeployDeps,
  job: DeployJob,
  timeline = new Timeline(deps.clock),
): Promise<boolean> {
  const key = claimKeyOf(job.recordId);
  // Two app instances (or a redelivery after a restart) never both drive one rollout.
  const watch = await takeWatch(deps, job);
  if (!watch) {
    deps.log.info({ deployment: job.recordId }, "rollout already watched by another instance");
    return false;
  }
  // Read again once claimed: another instance may have finished it between our read and our claim.
  const found = job.resumed ? await deps.records.get(job.recordId) : undefined;
  if (job.resumed && (!found || !inFlightRecord(found) || (await concludeTold(deps, job)))) {
    // Another instance claimed, drove and finished it between our read and our claim; or its
    // result was told before GitHub refused the final status, which is now written.
    await releaseWatch(deps, watch).catch(() => undefined);
    return true;
  }
  const held = deps.watches?.hold(key, () => handOverWatch(deps, watch));
  // Handed over on stop, or taken over after our claim expired: the next holder concludes it.
  let lost = false;
  const stillHeld = () => {
    if (held?.handedOver) throw new WatchLostError(key);
  };
  const { env, payload } = job;
  const head = `Deploy of **${payload.version}** to \`${env}\``;
  try {
    // A status only on a change of state: a resumed rollout may say in progress already.
    if (found?.state !== "in_progress")
      await deps.records.setStatus(job.recordId, "in_progress", { logUrl: job.issueUrl });
    const now = () => deps.clock.now().getTime();
    await applyImages(job.cluster, payload.namespace, payload.services, timeline, { allOrNothing: true });
    // What this deploy changes, patched now or before a restart: those rollouts are watched.
    const changed = payload.services.filter((s) => s.previousImage !== s.image).map((s) => s.deployment);
    const results = await watchRollouts(
      job.cluster,
      payload.namespace,
      changed,
      job.envConfig.timeoutSeconds * 1000,
      timeline,
      now,
    );
    const failed = results.filter((r) => r.kind === "failed" || r.kind === "timed-out");
    const unobserved = results.filter((r) => r.kind === "unobserved");
    if (failed.length === 0 && unobserved.length > 0) {
      // A permission error says nothing of the rollout: no verdict, no rollback, the truth told.
      stillHeld();
      await deps.records.setStatus(job.recordId, "error", {
        description: "rollout not observed: Kubernetes refused release-pilot permission".slice(0, 140),
        logUrl: job.issueUrl,
      });
      await deps.thread.reply(
        [
          `⚠️ ${head}: the images were set, but Kubernetes refused release-pilot permission to follow the rollout, so its outcome is unknown. Nothing was rolled back.`,
          "",
          ...results.map((r) => `- \`${r.deployment}\`: ${r.message}`),
          "",
          `Give the app's role \`get\` and \`watch\` on deployments (see docs/kubernetes.md), then check \`/status ${env}\`.`,
        ].join("\n"),
      );
      return true;
    }
    let cause = failed.map((r) => r.message).join("; ");
    let links: { title: string; url: string }[] = [];
    if (failed.length === 0) {
      await renewWatch(deps, job, watch, phaseMs(deps, job, "verify"));
      const verified = await verifyDeployJob(deps, job, timeline);
      links = verified.links;
      if (!verified.ok) cause = verified.cause;
    }
    const rolloutLines = results.map((r) => `- \`${r.deployment}\`: ${r.message}`);
    const linkLines = links.map((l) => `- [${l.title}](${l.url})`);
    stillHeld();
    if (!cause) {
      for (const r of results) deps.metrics.rolloutFinished(env, r.deployment, "succeeded", r.seconds);
      const unrecorded = await recordConclusion(deps, job, "success", {
        description: `${payload.version} is live`,
        ...(job.envConfig.url ? { environmentUrl: job.envConfig.url } : {}),
        logUrl: job.issueUrl,
      });
      const untouched =
        changed.length === 0 ? "\n\nEvery service already ran this version; nothing was patched." : "";
      await deps.thread.reply(
        [`✅ ${head} succeeded.${untouched}`, "", ...rolloutLines, ...linkLines, ...unrecorded].join("\n"),
      );
      return true;
    }
    for (const r of results)
      deps.metrics.rolloutFinished(
        env,
        r.deployment,
        r.kind === "timed-out" ? "timed-out" : "failed",
        r.seconds,
      );
    const unrecorded = await recordConclusion(deps, job, "failure", {
      description: cause.slice(0, 140),
      logUrl: job.issueUrl,
    });
    const failure = [`❌ ${head} failed: ${cause}`, "", ...rolloutLines, ...linkLines, ...unrecorded];
    if (!job.envConfig.autoRollback || changed.length === 0) {
      await deps.thread.reply(
        [...failure, "", `Automatic rollback is off for \`${env}\`; \`/rollback ${env}\` rolls back.`].join(
          "\n",
        ),
      );
      return true;
    }
    await renewWatch(deps, job, watch, phaseMs(deps, job, "rollout"));
    const rollback = await autoRollback(deps, job, changed, cause, timeline);
    await deps.thread.reply(
      [
        ...failure,
        "",
        rollback.ok
          ? `↩️ Rolled back automatically to the last good revision:`
          : `⚠️ The automatic rollback did not complete:`,
        ...rollback.lines,
        ...(rollback.postMortemUrl ? ["", `Post-mortem: ${rollback.postMortemUrl}`] : []),
      ].join("\n"),
    );
    return true;
  } catch (e) {
    if (e instanceof WatchLostError) {
      lost = true;
      deps.log.info({ deployment: job.recordId }, e.message);
      return true;
    }
    if (e instanceof PartialPatchError) {
      // All or nothing: the services patched before the failure were put back.
      await deps.records
        .setStatus(job.recordId, "error", { description: describe(e).slice(0, 140), logUrl: job.issueUrl })
        .catch(() => undefined);
      await deps.thread
        .reply(
          [
            `❌ ${head} failed: \`${e.service}\` could not be patched (${describe(e.cause)}). Any service patched before it was put back, so \`${env}\` is not left on mixed versions:`,
            "",
            ...e.states.map((line) => `- ${line}`),
            "",
            // A 401/403 is a permission to grant, which trying again alone does not change.
            e.cause instanceof ClusterError && e.cause.kind === "forbidden"
              ? `Kubernetes refused release-pilot permission: give the app's role \`patch\` on deployments in the namespace \`${payload.namespace}\` (see docs/kubernetes.md), then \`/deploy ${env} ${payload.version}\` tries again.`
              : `\`/deploy ${env} ${payload.version}\` tries again.`,
          ].join("\n"),
        )
        .catch(() => undefined);
      return true;
    }
    deps.log.error({ err: e, deployment: job.recordId }, "deploy failed");
    await deps.records
      .setStatus(job.recordId, "error", { description: describe(e).slice(0, 140) })
      .catch(() => undefined);
    await deps.thread.reply(`❌ ${head} stopped: ${describe(e)}`).catch(() => undefined);
    return true;
  } finally {
    if (held) deps.watches?.drop(held);
    if (!lost && !held?.handedOver) {
      await releaseOwnLock(deps.locks, job.lock, { sleep: deps.sleep }).catch(async (e: unknown) => {
        deps.log.error({ err: e, env }, "could not release the environment lock");
        await deps.thread
          .reply(
            `⚠️ The lock on \`${env}\` could not be given back (${describe(e)}). The next \`/deploy\`, \`/rollback\` or \`/lock\` here finds it stale and clears it; \`/unlock ${env}\` clears it now.`,
          )
          .catch(() => undefined);
      });
      await releaseWatch(deps, watch).catch(() => undefined);
    }
  }
}
