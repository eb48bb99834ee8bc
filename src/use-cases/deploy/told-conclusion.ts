/**
 * One reply per deploy or rollback. When GitHub refuses a deploy's or a rollback's final status
 * past the retries, the reply still gives the rollout's result and carries a marker naming the
 * record and that result; the record stays `in_progress`. The next start finds the record in flight: instead of driving the
 * rollout again (which would re-run the smoke tests, or re-patch an image that was rolled back)
 * and replying a second time, it writes the told result on the record and edits that reply.
 */
import { imageOf } from "../../domain/deploy/build-image-patch.js";
import type { DeployDeps } from "./deploy-deps.js";
import type { DeployJob } from "./deploy-job.js";

export type ToldState = "success" | "failure";

const markerOf = (recordId: number) => `<!-- release-pilot:told deployment-${recordId} `;

/** The hidden line a reply ends with when its result could not be written on the record. */
export const toldMarker = (recordId: number, state: ToldState): string => `${markerOf(recordId)}${state} -->`;

/** The warning paragraph of that reply, replaced once the record is concluded. */
const UNRECORDED = /⚠️ GitHub refused the final status of deployment \d+ [^\n]*/u;

/** A rollback's reply: one warning per status GitHub refused (`in_progress`, then the final one). */
const unrecordedRollback = (recordId: number) =>
  new RegExp(`⚠️ GitHub refused the \`[a-z_]+\` status of deployment ${recordId}(?!\\d)[^\\n]*`, "gu");

const isRollback = (job: DeployJob) =>
  job.payload.action === "rollback" || job.payload.action === "auto-rollback";

/** The reply with its warnings of refused statuses replaced by one line: what the record says now. */
const concludedBody = (job: DeployJob, body: string, concluded: string): string => {
  if (!isRollback(job)) return body.replace(UNRECORDED, concluded);
  let first = true;
  return body.replace(unrecordedRollback(job.recordId), () => {
    const line = first ? concluded : "";
    first = false;
    return line;
  });
};

/**
 * The result a reply of this deploy already told, if the cluster agrees with it. The comment is
 * read from the thread, which other apps could write to: it is trusted only from a bot account,
 * and only when what runs matches (told success: every service runs the new image; told failure
 * with automatic rollback: none of the changed services still runs it).
 */
async function findTold(
  deps: Pick<DeployDeps, "issues">,
  job: DeployJob,
): Promise<{ id: number; body: string; state: ToldState } | undefined> {
  if (!deps.issues.findComment || job.payload.issue <= 0) return undefined;
  const comment = await deps.issues.findComment(job.payload.issue, markerOf(job.recordId));
  const state = comment?.body.includes(toldMarker(job.recordId, "success"))
    ? "success"
    : comment?.body.includes(toldMarker(job.recordId, "failure"))
      ? "failure"
      : undefined;
  if (!comment || !state) return undefined;
  const changed = job.payload.services.filter((s) => s.previousImage !== s.image);
  // A deploy failure not rolled back, or a rollback that did not complete: nothing was put back,
  // so there is nothing the cluster could contradict (driving it again would only patch the
  // rollback's images in again and reply a second time).
  if (state === "failure" && (!job.envConfig.autoRollback || isRollback(job))) return { ...comment, state };
  // A told rollback (success): every service runs the image it was rolled back to.
  for (const s of state === "success" ? job.payload.services : changed) {
    const running = imageOf(
      await job.cluster.getDeployment(job.payload.namespace, s.deployment),
      s.container,
    );
    if ((running === s.image) !== (state === "success")) return undefined;
  }
  return { ...comment, state };
}

/**
 * For a resumed deploy whose result was told: write it on the record and edit the reply. True when
 * done so (nothing else to do, no second reply); false when the deploy must be driven as usual.
 */
export async function concludeTold(
  deps: Pick<DeployDeps, "issues" | "records" | "log">,
  job: DeployJob,
): Promise<boolean> {
  const told = await findTold(deps, job).catch((e: unknown) => {
    deps.log.error({ err: e, deployment: job.recordId }, "could not read the deploy's earlier reply");
    return undefined;
  });
  if (!told) return false;
  const { version } = job.payload;
  try {
    await deps.records.setStatus(job.recordId, told.state, {
      description: isRollback(job)
        ? told.state === "success"
          ? `rolled back to ${version}`
          : "rollback did not complete"
        : told.state === "success"
          ? `${version} is live`
          : `the deploy of ${version} failed`,
      ...(told.state === "success" && job.envConfig.url ? { environmentUrl: job.envConfig.url } : {}),
      logUrl: job.issueUrl,
    });
  } catch (e) {
    // Still refused: the reply already says the record stays in progress; the next start tries again.
    deps.log.error({ err: e, deployment: job.recordId }, "could not record the told result");
    return true;
  }
  const concluded = `ℹ️ The record of deployment ${job.recordId} now says ${told.state}: release-pilot wrote it on its next start.`;
  await deps.issues
    .updateComment?.(told.id, concludedBody(job, told.body, concluded))
    .catch((e: unknown) =>
      deps.log.error({ err: e, deployment: job.recordId }, "could not edit the deploy's reply"),
    );
  deps.log.info({ deployment: job.recordId, state: told.state }, "concluded a deploy whose result was told");
  return true;
}
