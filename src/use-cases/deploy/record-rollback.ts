/**
 * Apply planned rollbacks as a recorded GitHub Deployment of the version rolled back to, with its
 * statuses, and open the post-mortem issue after an automatic rollback or any production rollback.
 */
import type { DeployPayload } from "../../domain/deploy/deploy-payload.js";
import { renderPostMortem, renderPostMortemTitle } from "../../domain/deploy/render-post-mortem.js";
import { applyRollbacks, type PatchedRollbacks } from "./apply-rollbacks.js";
import { type DeployDeps, openPostMortem } from "./deploy-deps.js";
import type { DeployJob } from "./deploy-job.js";
import type { ServiceRollback } from "./plan-rollbacks.js";
import type { Timeline } from "./timeline.js";
import { toldMarker } from "./told-conclusion.js";
import { releaseWatch, takeWatch } from "./watch-claims.js";

type StatusOptions = Parameters<DeployDeps["records"]["setStatus"]>[2];

export interface RollbackReport {
  ok: boolean;
  /** Markdown lines for the reply. */
  lines: string[];
  postMortemUrl?: string;
}

export interface RollbackMeta {
  action: "rollback" | "auto-rollback";
  fromVersion: string;
  toVersion: string;
  cause: string;
  trigger: "automatic" | "manual";
  timeline: Timeline;
  /** An existing record to drive (the /rollback command creates it before replying). */
  recordId?: number;
  /** Patches already sent (the /rollback command sends them first, then records them). */
  patched?: PatchedRollbacks;
}

export async function recordRollback(
  deps: DeployDeps,
  job: Omit<DeployJob, "recordId"> & { recordId?: number },
  plans: readonly ServiceRollback[],
  meta: RollbackMeta,
): Promise<RollbackReport> {
  const { timeline } = meta;
  const ns = job.payload.namespace;
  const lines: string[] = [];
  if (!plans.some((p) => p.plan.kind === "patch")) {
    for (const p of plans) lines.push(`- \`${p.deployment}\`: ${p.plan.message}`);
    timeline.add("nothing to roll back to");
    return { ok: false, lines: ["No service could be rolled back:", ...lines] };
  }
  let recordId = meta.recordId;
  if (recordId === undefined) {
    const payload: DeployPayload = {
      ...job.payload,
      // Claimed below by a claim ref: the deploy's record claim is not this record's.
      watch: undefined,
      action: meta.action,
      version: meta.toVersion,
      services: plans
        .filter((p) => p.plan.kind === "patch")
        .map((p) => ({
          name: p.deployment,
          deployment: p.deployment,
          container: p.container,
          image: p.image ?? "",
        })),
    };
    const tag = `${job.tagPrefix}${meta.toVersion}`;
    const created = await deps.records.create({
      environment: job.env,
      ref: (await deps.tags.tagOf(meta.toVersion)) ?? job.fallbackRef,
      task: `deploy:${meta.action}`,
      description: `${meta.action} of ${job.env} to ${tag}`,
      payload,
      production: job.env === "production",
      requireGreen: false,
    });
    if (created.kind === "created") recordId = created.id;
    else timeline.add(`the rollback was not recorded: ${created.message}`);
  }
  // A claim on the record tells a restarting instance that this rollback is being watched.
  const watch =
    recordId !== undefined
      ? await takeWatch(deps, {
          recordId,
          envConfig: job.envConfig,
          ...(recordId === job.recordId ? { payload: job.payload } : {}),
        }).catch(() => undefined)
      : undefined;
  // The cluster is the truth: a status GitHub refuses (past the client's retries) is said in the
  // reply, and the rollback goes on.
  const unrecorded: string[] = [];
  const record = async (id: number, state: "in_progress" | "success" | "failure", options: StatusOptions) =>
    deps.records.setStatus(id, state, options).catch((e: unknown) => {
      deps.log.error({ err: e, deployment: id, state }, "could not record the rollback's status");
      const status = typeof e === "object" && e !== null && "status" in e ? e.status : undefined;
      const final = state !== "in_progress";
      unrecorded.push(
        `⚠️ GitHub refused the \`${state}\` status of deployment ${id}${typeof status === "number" ? ` (GitHub answered ${status})` : ""}: its record does not show this; the services are as listed above.${final ? " The next start of release-pilot writes it." : ""}`,
      );
      // The record stays in flight: the next start concludes it from this reply (told-conclusion.ts).
      if (final) unrecorded.push(toldMarker(id, state));
    });
  try {
    // A record created with its claim (a manual rollback's) goes from pending to its outcome;
    // one created here says it is in progress while the rollback is watched.
    if (recordId !== undefined && !(recordId === job.recordId && job.payload.watch))
      await record(recordId, "in_progress", { logUrl: job.issueUrl });
    const applied = await applyRollbacks(
      job.cluster,
      ns,
      plans,
      job.envConfig.timeoutSeconds * 1000,
      timeline,
      () => deps.clock.now().getTime(),
      meta.patched,
    );
    const ok = applied.results.every((r) => r.kind === "done");
    for (const r of applied.results)
      deps.metrics.rolloutFinished(job.env, r.deployment, ok ? "rolled-back" : "failed", r.seconds);
    if (recordId !== undefined)
      await record(recordId, ok ? "success" : "failure", {
        description: ok ? `rolled back to ${meta.toVersion}` : "rollback did not complete",
        ...(job.envConfig.url ? { environmentUrl: job.envConfig.url } : {}),
        logUrl: job.issueUrl,
      });
    for (const p of applied.patched) {
      const result = applied.results.find((r) => r.deployment === p.deployment);
      const to = p.plan.kind === "patch" ? p.plan.toRevision : 0;
      lines.push(`- \`${p.deployment}\` → revision ${to} (\`${p.image ?? "?"}\`): ${result?.message ?? ""}`);
    }
    for (const p of applied.refused) lines.push(`- \`${p.deployment}\`: not rolled back: ${p.plan.message}`);
    timeline.add(
      ok ? `rollback to ${meta.toVersion} complete` : `rollback to ${meta.toVersion} did not complete`,
    );
    let postMortemUrl: string | undefined;
    if (meta.trigger === "automatic" || job.env === "production") {
      const issue = await openPostMortem(
        deps.issues,
        renderPostMortemTitle({ env: job.env, fromVersion: meta.fromVersion, toVersion: meta.toVersion }),
        renderPostMortem({
          env: job.env,
          fromVersion: meta.fromVersion,
          toVersion: meta.toVersion,
          trigger: meta.trigger,
          actor: job.payload.actor,
          cause: meta.cause,
          timeline: timeline.entries,
          links: [{ title: "command thread", url: job.issueUrl }],
        }),
      );
      postMortemUrl = issue.url;
    }
    if (unrecorded.length > 0) lines.push("", ...unrecorded);
    return { ok, lines, ...(postMortemUrl ? { postMortemUrl } : {}) };
  } finally {
    if (watch) await releaseWatch(deps, watch).catch(() => undefined);
  }
}
