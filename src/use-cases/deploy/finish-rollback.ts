/**
 * After a restart: conclude a rollback (`/rollback`, or the automatic one after a failed deploy)
 * that an earlier run recorded and left in progress. Its Deployment payload names each service's
 * target image, so the images are set again (no patch when already there), the rollouts watched,
 * and the rollback concluded as the original run would have: one final status, one reply, the
 * post-mortem the guide asks for (automatic rollbacks and production), the environment unlocked.
 * A rollback whose result was told before GitHub refused its final status is concluded from that
 * reply instead (told-conclusion.ts).
 */
import { renderPostMortem, renderPostMortemTitle } from "../../domain/deploy/render-post-mortem.js";
import { type DeployDeps, openPostMortem } from "./deploy-deps.js";
import type { DeployJob } from "./deploy-job.js";
import { stillInFlight } from "./drive-deploy.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { applyImages, watchRollouts } from "./rollout-steps.js";
import { Timeline } from "./timeline.js";
import { concludeTold } from "./told-conclusion.js";
import { releaseWatch, takeWatch } from "./watch-claims.js";

/** Concludes the rollback; false when another instance holds its watch. */
export async function tryFinishRollback(
  deps: DeployDeps,
  job: DeployJob,
  timeline = new Timeline(deps.clock),
): Promise<boolean> {
  const watch = await takeWatch(deps, job);
  if (!watch) return false;
  // Another instance finished it meanwhile; or its result was told before GitHub refused the
  // final status, which is now written (one reply per rollback, nothing patched again; the lock
  // was given back by the run that told it).
  if (!(await stillInFlight(deps, job.recordId)) || (await concludeTold(deps, job))) {
    await releaseWatch(deps, watch).catch(() => undefined);
    return true;
  }
  const { env, payload } = job;
  try {
    await deps.records.setStatus(job.recordId, "in_progress", { logUrl: job.issueUrl });
    await applyImages(job.cluster, payload.namespace, payload.services, timeline);
    const results = await watchRollouts(
      job.cluster,
      payload.namespace,
      payload.services.map((s) => s.deployment),
      job.envConfig.timeoutSeconds * 1000,
      timeline,
      () => deps.clock.now().getTime(),
    );
    const ok = results.every((r) => r.kind === "done");
    for (const r of results)
      deps.metrics.rolloutFinished(env, r.deployment, ok ? "rolled-back" : "failed", r.seconds);
    await deps.records.setStatus(job.recordId, ok ? "success" : "failure", {
      description: ok ? `rolled back to ${payload.version}` : "rollback did not complete",
      ...(job.envConfig.url ? { environmentUrl: job.envConfig.url } : {}),
      logUrl: job.issueUrl,
    });
    const lines = results.map((r) => `- \`${r.deployment}\`: ${r.message}`);
    const automatic = payload.action === "auto-rollback";
    let postMortem = "";
    if (automatic || env === "production") {
      const fromVersion = "the version before the rollback";
      const issue = await openPostMortem(
        deps.issues,
        renderPostMortemTitle({ env, fromVersion, toVersion: payload.version }),
        renderPostMortem({
          env,
          fromVersion,
          toVersion: payload.version,
          trigger: automatic ? "automatic" : "manual",
          actor: payload.actor,
          cause: "the app restarted during the rollback, which it then concluded",
          timeline: timeline.entries,
          links: [{ title: "command thread", url: job.issueUrl }],
        }),
      );
      postMortem = `\n\nPost-mortem: ${issue.url}`;
    }
    await deps.thread.reply(
      [
        ok
          ? `↩️ \`${env}\` rolled back to **${payload.version}** (concluded after a restart of release-pilot):`
          : `⚠️ The rollback of \`${env}\` to **${payload.version}** did not complete (concluded after a restart of release-pilot):`,
        ...lines,
      ].join("\n") + postMortem,
    );
    return true;
  } catch (e) {
    deps.log.error({ err: e, deployment: job.recordId }, "resumed rollback failed");
    await deps.records.setStatus(job.recordId, "error").catch(() => undefined);
    await deps.thread
      .reply(`❌ The rollback of \`${env}\` stopped: ${e instanceof Error ? e.message : String(e)}`)
      .catch(() => undefined);
    return true;
  } finally {
    await releaseOwnLock(deps.locks, job.lock, { sleep: deps.sleep }).catch((e: unknown) =>
      deps.log.error({ err: e, env }, "could not release the environment lock"),
    );
    await releaseWatch(deps, watch).catch(() => undefined);
  }
}
