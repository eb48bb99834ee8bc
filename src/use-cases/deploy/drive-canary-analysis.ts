/**
 * A canary under analysis, after `/canary` rolled it out: every interval, measure each check for
 * each service (Prometheus, at the analysis' own time), record the verdict and the measured values
 * on the canary's GitHub Deployment and in one updated comment, and act on the decision: next
 * weight step, promote, abort (canary to 0, its image restored) or pause for people to decide.
 *
 * Its record lives in the GitHub environment `<env>-canary`: a Deployment that succeeds makes
 * GitHub mark the environment's earlier ones inactive
 * (https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status, auto_inactive),
 * and the main Deployments still run the old version. Its progress is the newest status'
 * description, so a restart resumes at the next interval; the claim ref `canary-analysis-<id>`
 * (as for rollout watches) keeps two instances from both evaluating it, and an interval is
 * recorded before anything acts on it, so none is evaluated twice.
 */
import {
  buildAbortPlan,
  buildPromotePlan,
  replicasForWeight,
} from "../../domain/deploy/build-canary-plan.js";
import {
  type AnalysisDecision,
  type AnalysisProgress,
  type AnalysisSpec,
  decideAnalysis,
  evaluateInterval,
  type Measurement,
  type MeasuredRow,
  parseProgress,
  renderAnalysisQuery,
  renderStatusDescription,
} from "../../domain/deploy/canary-analysis.js";
import { imageOf } from "../../domain/deploy/build-image-patch.js";
import { renderAnalysisComment } from "../../domain/deploy/render-canary-analysis.js";
import {
  claimExpiry,
  DEFAULT_CLAIM_MARGIN_SECONDS,
  type WatchClaim,
} from "../../domain/deploy/watch-claim.js";
import { isInFlight } from "../../ports/deployments.js";
import { applyClusterSteps } from "./apply-cluster-steps.js";
import type { DeployDeps, Invocation, Target } from "./deploy-deps.js";
import { recordPromotion } from "./record-promotion.js";
import { watchRollouts } from "./rollout-steps.js";
import { Timeline } from "./timeline.js";
import { analysisEnvironment } from "./resume-lists.js";

export interface AnalysedService {
  /** The main Deployment (also `{{service}}`). */
  service: string;
  canary: string;
  container: string;
}

export interface AnalysisJob {
  target: Target;
  spec: AnalysisSpec;
  recordId: number;
  version: string;
  services: readonly AnalysedService[];
  commentId: number | undefined;
  call: Invocation;
  progress: AnalysisProgress;
  /** The claim version to replace (this instance's own before a restart, or an expired one). */
  takeOver?: string | undefined;
}

export const analysisClaimKey = (recordId: number): string => `canary-analysis-${recordId}`;

type Deps = DeployDeps & Required<Pick<DeployDeps, "canaryMetrics">>;

const claimFor = (deps: DeployDeps, job: AnalysisJob): WatchClaim => ({
  key: analysisClaimKey(job.recordId),
  holder: deps.instance,
  // One interval, then a rollout of a weight step or the promotion, then the margin.
  expires: claimExpiry(
    deps.clock.now(),
    job.spec.intervalSeconds + job.target.env.timeoutSeconds,
    deps.claimMarginSeconds ?? DEFAULT_CLAIM_MARGIN_SECONDS,
  ),
});

/** Every check for every service, at the analysis' time: never a made-up number. */
async function measure(deps: Deps, job: AnalysisJob): Promise<Measurement[]> {
  const at = deps.clock.now();
  const { namespace } = job.target.env;
  const tasks = job.services.flatMap((s) =>
    job.spec.checks.map(async (check): Promise<Measurement> => {
      const query = renderAnalysisQuery(
        check.query,
        { service: s.service, version: job.version, namespace, track: "canary" },
        job.spec.intervalSeconds,
      );
      const reading = await deps.canaryMetrics
        .instant(query, at)
        .catch(
          (e: unknown) => ({ kind: "error", detail: e instanceof Error ? e.message : String(e) }) as const,
        );
      return reading.kind === "value"
        ? { check: check.name, service: s.service, kind: "value", value: reading.value }
        : { check: check.name, service: s.service, kind: reading.kind, detail: reading.detail };
    }),
  );
  return Promise.all(tasks);
}

/** Scale each canary to the pods of `weight`% beside its main Deployment, and watch them roll out. */
async function applyWeight(
  deps: Deps,
  job: AnalysisJob,
  weight: number,
  timeline: Timeline,
): Promise<string> {
  const { cluster, env } = job.target;
  for (const s of job.services) {
    const main = await cluster.getDeployment(env.namespace, s.service);
    const replicas = replicasForWeight(main.spec?.replicas ?? 1, weight);
    await cluster.scale(env.namespace, s.canary, replicas);
    timeline.add(`scale ${s.canary} to ${replicas} (${weight}%)`);
  }
  const results = await watchRollouts(
    cluster,
    env.namespace,
    job.services.map((s) => s.canary),
    env.timeoutSeconds * 1000,
    timeline,
    () => deps.clock.now().getTime(),
  );
  const bad = results.filter((r) => r.kind !== "done");
  if (bad.length) throw new Error(bad.map((r) => `\`${r.deployment}\`: ${r.message}`).join("; "));
  return `Canary at ${weight}% of the pods.`;
}

async function promote(deps: Deps, job: AnalysisJob, timeline: Timeline): Promise<string> {
  const { cluster, env } = job.target;
  const promoted = [];
  for (const s of job.services) {
    const [main, canary] = await Promise.all([
      cluster.getDeployment(env.namespace, s.service),
      cluster.getDeployment(env.namespace, s.canary),
    ]);
    const plan = buildPromotePlan({ main, canary, container: s.container });
    if (plan.kind === "refused") throw new Error(plan.message);
    await applyClusterSteps(cluster, plan.plan, timeline);
    promoted.push({ service: s.service, container: s.container, image: imageOf(canary, s.container) });
  }
  const results = await watchRollouts(
    cluster,
    env.namespace,
    job.services.map((s) => s.service),
    env.timeoutSeconds * 1000,
    timeline,
    () => deps.clock.now().getTime(),
  );
  const ok = results.every((r) => r.kind === "done");
  await recordPromotion(
    deps,
    job.call,
    job.target,
    promoted,
    job.version,
    ok,
    `promote canary ${job.version} on ${job.target.name} after analysis`,
  );
  return ok
    ? `Promoted: ${job.services.map((s) => `\`${s.service}\``).join(", ")} run **${job.version}**, the canaries are at 0.`
    : `Promotion rollout failed: ${results.map((r) => `\`${r.deployment}\`: ${r.message}`).join("; ")}`;
}

async function abort(deps: Deps, job: AnalysisJob, timeline: Timeline): Promise<string> {
  const { cluster, env } = job.target;
  for (const s of job.services) {
    const canary = await cluster.getDeployment(env.namespace, s.canary);
    const plan = buildAbortPlan({ canary, container: s.container });
    if (plan.kind === "plan") await applyClusterSteps(cluster, plan.plan, timeline);
  }
  return `Aborted: the canaries are at 0 with their previous images.`;
}

const finalState = { promote: "success", abort: "failure", pause: "error" } as const;
const doneWord = { promote: "promoted", abort: "aborted", pause: "paused" } as const;

/**
 * Drive the analysis to its end (or until it is stopped by `/promote`, `/abort`, a new canary,
 * another instance taking it over, or the app stopping). False when another instance holds it.
 */
export async function driveCanaryAnalysis(deps: Deps, job: AnalysisJob): Promise<boolean> {
  const key = analysisClaimKey(job.recordId);
  let version = job.takeOver
    ? await deps.locks.takeOver(job.takeOver, claimFor(deps, job))
    : await deps.locks.claim(claimFor(deps, job));
  if (!version) return false;
  const release = async () => {
    if (version && (await deps.locks.claimVersion(key)) === version) await deps.locks.unclaim(key);
  };
  const held = deps.watches?.hold(key, release);
  const timeline = new Timeline(deps.clock);
  let progress = job.progress;
  let rows: MeasuredRow[] = [];
  const comment = async (outcome?: AnalysisDecision, detail?: string) => {
    if (job.commentId === undefined || !deps.progress) return;
    const body = renderAnalysisComment({
      env: job.target.name,
      version: job.version,
      spec: job.spec,
      progress,
      rows,
      outcome,
      detail,
    });
    await deps.progress.update(job.commentId, body).catch((err: unknown) => {
      deps.log.error({ err, deployment: job.recordId }, "could not update the canary analysis comment");
    });
  };
  /** Still ours and still running: not overridden, superseded, handed over or taken over. */
  const stillOurs = async (): Promise<boolean> => {
    if (held?.handedOver || deps.jobs.stopping.aborted) return false;
    version = await deps.locks.takeOver(version ?? "", claimFor(deps, job));
    if (!version) return false;
    const record = await deps.records.get(job.recordId);
    if (!isInFlight(record?.state)) return false;
    // Never evaluate an interval twice: what is recorded wins over what this run remembers.
    const recorded = parseProgress(record?.description);
    if (recorded && recorded.evaluated > progress.evaluated) progress = recorded;
    return true;
  };
  try {
    for (;;) {
      await deps.sleep(job.spec.intervalSeconds * 1000, deps.jobs.stopping);
      if (!(await stillOurs())) return true;
      const result = evaluateInterval(job.spec, await measure(deps, job));
      rows = result.rows;
      const next = decideAnalysis(job.spec, progress, result.verdict);
      progress = next.progress;
      const { decision } = next;
      const description = renderStatusDescription(job.spec, progress, rows);
      // A person may have decided while we measured: their word stands, ours is not written.
      if (!isInFlight((await deps.records.get(job.recordId))?.state)) return true;
      if (decision.kind === "continue" || decision.kind === "next-step") {
        await deps.records.setStatus(job.recordId, "in_progress", { description, logUrl: job.call.issueUrl });
        let detail: string | undefined;
        if (decision.kind === "next-step") detail = await applyWeight(deps, job, decision.weight, timeline);
        await comment(undefined, detail);
        continue;
      }
      // Record the interval first (a restart then never measures it again), then act on it.
      await deps.records.setStatus(job.recordId, "in_progress", { description, logUrl: job.call.issueUrl });
      if (!(await stillOurs())) return true;
      let detail: string;
      try {
        detail =
          decision.kind === "promote"
            ? await promote(deps, job, timeline)
            : decision.kind === "abort"
              ? await abort(deps, job, timeline)
              : `The canary keeps running until someone decides.`;
      } catch (e) {
        detail = `Could not ${decision.kind}: ${e instanceof Error ? e.message : String(e)}. Decide with \`/promote ${job.target.name}\` or \`/abort ${job.target.name}\`.`;
        await deps.records.setStatus(job.recordId, "error", {
          description: `${decision.kind} failed; decide by hand`,
          logUrl: job.call.issueUrl,
        });
        await comment({ kind: "pause", reason: `the ${decision.kind} failed` }, detail);
        await deps.thread.reply(
          `⚠️ Canary analysis of **${job.version}** on \`${job.target.name}\`: ${detail}`,
        );
        return true;
      }
      await deps.records.setStatus(job.recordId, finalState[decision.kind], {
        description: renderStatusDescription(job.spec, progress, rows, `${doneWord[decision.kind]} | `),
        logUrl: job.call.issueUrl,
      });
      await comment(decision, detail);
      await deps.thread.reply(
        renderAnalysisComment({
          env: job.target.name,
          version: job.version,
          spec: job.spec,
          progress,
          rows,
          outcome: decision,
          detail,
        }).split("\n\n")[0] ?? "",
      );
      return true;
    }
  } catch (e) {
    await deps.thread
      .reply(
        `❌ Canary analysis of **${job.version}** on \`${job.target.name}\` stopped: ${e instanceof Error ? e.message : String(e)}. Decide with \`/promote ${job.target.name}\` or \`/abort ${job.target.name}\`.`,
      )
      .catch(() => undefined);
    await deps.records
      .setStatus(job.recordId, "error", {
        description: "analysis stopped by an error",
        logUrl: job.call.issueUrl,
      })
      .catch(() => undefined);
    return true;
  } finally {
    if (held) deps.watches?.drop(held);
    if (!held?.handedOver) await release().catch(() => undefined);
  }
}

/**
 * Stop the analyses running on an environment (a person decided with `/promote` or `/abort`, or a
 * new canary replaces them): their records turn inactive, which their drivers see before their
 * next interval.
 */
export async function stopCanaryAnalyses(
  deps: Pick<DeployDeps, "records">,
  env: string,
  why: string,
): Promise<number[]> {
  const records = await deps.records.list({ environment: analysisEnvironment(env), limit: 10 });
  const running = records.filter((r) => r.payload?.action === "canary" && isInFlight(r.state));
  for (const r of running) await deps.records.setStatus(r.id, "inactive", { description: why.slice(0, 140) });
  return running.map((r) => r.id);
}
