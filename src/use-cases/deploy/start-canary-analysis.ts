/**
 * Starting a canary analysis once `/canary` rolled the canary out, and resuming the ones a
 * previous run of the app left running (from the progress recorded on their Deployments).
 */
import type { Config } from "../../config/schema.js";
import {
  type AnalysisSpec,
  initialProgress,
  parseProgress,
  renderProgress,
} from "../../domain/deploy/canary-analysis.js";
import { renderAnalysisComment } from "../../domain/deploy/render-canary-analysis.js";
import { decideClaim } from "../../domain/deploy/watch-claim.js";
import { type DeploymentRecord, isInFlight } from "../../ports/deployments.js";
import { deferClaimed } from "./defer-claimed.js";
import { type DeployDeps, type Invocation, isOutcome, resolveTarget, type Target } from "./deploy-deps.js";
import { type AnalysedService, analysisClaimKey, driveCanaryAnalysis } from "./drive-canary-analysis.js";
import { analysisEnvironment, RESUME_LIST_LIMITS } from "./resume-lists.js";
import { claimTtlMs } from "./watch-claims.js";

type Deps = DeployDeps & Required<Pick<DeployDeps, "canaryMetrics">>;

export const canAnalyse = (deps: DeployDeps): deps is Deps => deps.canaryMetrics !== undefined;

/** Record the analysis (its Deployment and its comment) and run it in the background. */
export async function startCanaryAnalysis(
  deps: Deps,
  call: Invocation,
  target: Target,
  spec: AnalysisSpec,
  version: string,
  services: readonly (AnalysedService & { image: string })[],
): Promise<string> {
  const progress = initialProgress();
  const view = { env: target.name, version, spec, progress, rows: [] };
  const commentId = deps.progress ? await deps.progress.create(renderAnalysisComment(view)) : undefined;
  const created = await deps.records.create({
    environment: analysisEnvironment(target.name),
    ref: (await deps.tags.tagOf(version)) ?? call.config.release.mainBranch,
    task: "deploy:canary",
    description: `canary analysis of ${version} on ${target.name}`,
    payload: {
      app: "release-pilot",
      action: "canary",
      version,
      cluster: target.env.cluster,
      namespace: target.env.namespace,
      services: services.map((s) => ({
        name: s.service,
        deployment: s.canary,
        container: s.container,
        image: s.image,
      })),
      issue: call.issue,
      actor: call.actor,
      analysis: { environment: target.name, ...(commentId !== undefined ? { comment: commentId } : {}) },
    },
    production: false,
    requireGreen: false,
  });
  if (created.kind === "refused")
    return `The analysis could not be recorded (${created.message}); decide by hand.`;
  await deps.records.setStatus(created.id, "in_progress", {
    description: renderProgress(spec, progress),
    logUrl: call.issueUrl,
  });
  deps.jobs.run(`canary analysis ${target.name} #${created.id}`, async () => {
    await driveCanaryAnalysis(deps, {
      target,
      spec,
      recordId: created.id,
      version,
      services,
      commentId,
      call,
      progress,
    });
  });
  return `📈 Analysing it: ${spec.checks.map((c) => c.name).join(", ")} every ${spec.intervalSeconds} s; promoted or aborted by itself (deployment ${created.id}).`;
}

/**
 * After a restart: the analyses still in progress, each resumed at the interval after the last one
 * recorded, under its claim (one left by this instance is taken back, an expired one taken over;
 * one another instance holds is looked at again when it ends, as rollout watches are). The ids
 * resumed now.
 */
export async function resumeCanaryAnalyses(
  depsFor: (issueNumber: number) => DeployDeps,
  config: Config,
  repoUrl: string,
): Promise<number[]> {
  const base = depsFor(0);
  const resumed: number[] = [];
  for (const [env, envConfig] of Object.entries(config.environments)) {
    const spec = envConfig.canary.analysis;
    if (!spec || !base.canaryMetrics) continue;
    const target = resolveTarget(base, config, env);
    if (isOutcome(target)) continue;
    const records = await base.records.list({
      environment: analysisEnvironment(env),
      limit: RESUME_LIST_LIMITS.analyses,
    });
    for (const record of records)
      if (await resumeAnalysis(depsFor, { config, repoUrl, target, spec }, record)) resumed.push(record.id);
  }
  return resumed;
}

interface Resumable {
  config: Config;
  repoUrl: string;
  target: Target;
  spec: AnalysisSpec;
}

/** Drive one interrupted analysis, or look again once another instance's claim on it ends. */
async function resumeAnalysis(
  depsFor: (issueNumber: number) => DeployDeps,
  found: Resumable,
  record: DeploymentRecord,
): Promise<boolean> {
  const { config, repoUrl, target, spec } = found;
  const payload = record.payload;
  if (payload?.action !== "canary" || !isInFlight(record.state)) return false;
  const base = depsFor(0);
  const key = analysisClaimKey(record.id);
  const claim = await base.locks.getClaim(key);
  const decision = decideClaim(
    claim,
    base.instance,
    base.clock.now(),
    claimTtlMs(base, spec.intervalSeconds + target.env.timeoutSeconds),
  );
  if (decision.kind === "held" && claim) {
    base.log.info(
      { deployment: record.id, holder: decision.holder },
      "canary analysis run by another instance",
    );
    deferClaimed(base, { key, version: claim.version, until: decision.until }, async () => {
      const now = await base.records.get(record.id);
      if (now) await resumeAnalysis(depsFor, found, now);
    });
    return false;
  }
  const deps = depsFor(payload.issue);
  if (!canAnalyse(deps)) return false;
  const call: Invocation = {
    config,
    actor: payload.actor,
    issue: payload.issue,
    issueUrl: `${repoUrl}/issues/${payload.issue}`,
  };
  const services = target.env.services.map((s) => ({
    service: s.deployment,
    canary: `${s.deployment}${target.env.canary.suffix}`,
    container: s.container,
  }));
  deps.jobs.run(`resume canary analysis ${target.name} #${record.id}`, async () => {
    await driveCanaryAnalysis(deps, {
      target,
      spec,
      recordId: record.id,
      version: payload.version,
      services,
      commentId: payload.analysis?.comment,
      call,
      progress: parseProgress(record.description) ?? initialProgress(),
      takeOver: claim && decision.kind !== "free" ? claim.version : undefined,
    });
  });
  return true;
}
