/**
 * `/canary <env> <version>`, `/promote <env>`, `/abort <env>`: the guide's canary Deployment
 * pattern (`<deployment><suffix>` beside each service). Plans are built within the webhook; the
 * steps and the rollout watch run in the background under the environment's lock. A promotion is
 * recorded as a GitHub Deployment of the promoted version.
 */
import {
  buildAbortPlan,
  buildCanaryPlan,
  buildPromotePlan,
  type CanaryPlanResult,
  type DeployPlan,
} from "../../domain/deploy/build-canary-plan.js";
import { imageOf } from "../../domain/deploy/build-image-patch.js";
import { type EnvironmentLock, renderLockRefusal } from "../../domain/deploy/lock-message.js";
import { resolveServiceImages, versionOfImage } from "../../domain/deploy/resolve-service-images.js";
import { renderUserText } from "../../domain/user-text.js";
import type { Deployment } from "../../domain/deploy/workload.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import { ClusterError } from "../../ports/cluster.js";
import { applyClusterPlans } from "./apply-cluster-steps.js";
import { checkApprovals } from "./check-approvals.js";
import {
  type DeployDeps,
  describeGitHubError,
  type Invocation,
  isOutcome,
  resolveTarget,
  type Target,
} from "./deploy-deps.js";
import { releaseOwnLock } from "./release-own-lock.js";
import { stopCanaryAnalyses } from "./drive-canary-analysis.js";
import { completePromotionRecord, missingPromotionRecord, recordPromotion } from "./record-promotion.js";
import { acquireClearingStale } from "./stale-lock.js";
import { lastDone } from "./last-done.js";
import { canAnalyse, startCanaryAnalysis } from "./start-canary-analysis.js";
import { watchRollouts } from "./rollout-steps.js";
import { Timeline } from "./timeline.js";

export type CanaryCommand =
  | {
      name: "canary";
      env: string;
      version: string;
      replicas?: number | undefined;
      weight?: number | undefined;
      /** false: `--no-analysis`, the manual flow even where the environment has analysis. */
      analysis?: boolean | undefined;
    }
  | { name: "promote"; env: string }
  | { name: "abort"; env: string };

interface ServicePlan {
  service: string;
  container: string;
  image: string | undefined;
  /** The stable Deployment's image of the container (a promotion's re-run compares it with the canary's). */
  mainImage: string | undefined;
  result: CanaryPlanResult;
  /** The Deployment whose rollout to watch once applied. */
  watch: string;
}

async function getOrUndefined(target: Target, name: string): Promise<Deployment | undefined> {
  try {
    return await target.cluster.getDeployment(target.env.namespace, name);
  } catch (e) {
    if (e instanceof ClusterError && e.kind === "not-found") return undefined;
    throw e;
  }
}

async function planAll(
  target: Target,
  call: Invocation,
  command: CanaryCommand,
): Promise<ServicePlan[] | Outcome> {
  const { env } = target;
  const images =
    command.name === "canary"
      ? resolveServiceImages(env.services, call.config.release.projects ?? [], command.version)
      : undefined;
  if (images?.ok === false) return outcome("bad-config", `Cannot run a canary: ${images.error}.`);
  const plans: ServicePlan[] = [];
  for (const s of env.services) {
    const canaryName = `${s.deployment}${env.canary.suffix}`;
    const [main, canary] = await Promise.all([
      target.cluster.getDeployment(env.namespace, s.deployment),
      getOrUndefined(target, canaryName),
    ]);
    if (!canary)
      return outcome(
        "not-found",
        `\`${target.name}\` has no canary Deployment \`${canaryName}\`; create it beside \`${s.deployment}\` (0 replicas, same pod labels plus a track) first.`,
      );
    const input = { main, canary, container: s.container };
    if (command.name === "canary") {
      const image = images?.ok ? images.value.find((x) => x.deployment === s.deployment)?.image : undefined;
      // An analysis with weight steps starts at its first step, unless the command says otherwise.
      const firstStep = analysisOf(target, command)?.steps[0];
      const byFlag = command.replicas !== undefined || command.weight !== undefined;
      const replicas =
        command.replicas ??
        (command.weight === undefined && firstStep === undefined ? env.canary.replicas : undefined);
      const result = buildCanaryPlan({
        ...input,
        image: image ?? "",
        ...(replicas !== undefined ? { replicas } : {}),
        weightPercent: command.weight ?? (byFlag ? undefined : firstStep) ?? env.canary.weight,
      });
      plans.push({
        service: s.deployment,
        container: s.container,
        image,
        mainImage: imageOf(main, s.container),
        result,
        watch: canaryName,
      });
    } else if (command.name === "promote") {
      const result = buildPromotePlan(input);
      plans.push({
        service: s.deployment,
        container: s.container,
        image: imageOf(canary, s.container),
        mainImage: imageOf(main, s.container),
        result,
        watch: s.deployment,
      });
    } else {
      const result = buildAbortPlan({ canary, container: s.container });
      plans.push({
        service: s.deployment,
        container: s.container,
        // What the canary runs now: the version an abort takes out.
        image: imageOf(canary, s.container),
        mainImage: imageOf(main, s.container),
        result,
        watch: canaryName,
      });
    }
  }
  return plans;
}

const verb = { canary: "Canary", promote: "Promotion", abort: "Canary abort" } as const;

/** The analysis a `/canary` runs: the environment's, unless `--no-analysis`. */
const analysisOf = (target: Target, command: CanaryCommand) =>
  command.name === "canary" && command.analysis !== false ? target.env.canary.analysis : undefined;

/**
 * `/promote` or `/abort` with no canary running anywhere in the environment: said as such, with
 * what was last done there. A promotion the cluster shows done but GitHub refused to record is
 * recorded now (the re-run completes its predecessor's work). Undefined when some service's
 * refusal is of another kind (a missing container), told as before.
 */
async function nothingRunning(
  deps: DeployDeps,
  call: Invocation,
  target: Target,
  name: "promote" | "abort",
  planned: readonly ServicePlan[],
): Promise<Outcome | undefined> {
  const idle = planned.every(
    (p) =>
      p.result.kind === "refused" &&
      (p.result.reason === "no-canary" || p.result.reason === "nothing-to-promote"),
  );
  if (!idle) return undefined;
  const promoted = planned.every((p) => p.image !== undefined && p.image === p.mainImage);
  const version = versionOfImage(planned[0]?.image);
  if (
    name === "promote" &&
    promoted &&
    version &&
    planned.every((p) => versionOfImage(p.image) === version)
  ) {
    const missing = await missingPromotionRecord(deps, target, version);
    if (missing.kind !== "none") {
      // Written under the environment's lock, read again once held: two re-runs record it once,
      // and no deploy changes the services meanwhile.
      const lock: EnvironmentLock = {
        env: target.name,
        holder: call.actor,
        reason: `recording the promotion of ${version}`,
        since: deps.clock.now().toISOString(),
        kind: "deploy",
      };
      const acquired = await acquireClearingStale(deps, lock, target.env.timeoutSeconds);
      if (acquired.kind === "held")
        return outcome("refused-locked", renderLockRefusal(acquired.lock, target.name));
      try {
        const still = await missingPromotionRecord(deps, target, version);
        if (still.kind !== "none") {
          const done = await completePromotionRecord(deps, call, target, planned, version, still);
          return outcome(
            "done",
            `${acquired.cleared ? `${acquired.cleared}\n\n` : ""}✅ The promotion of **${version}** on \`${target.name}\` was already made in the cluster; I ${done}.`,
          );
        }
      } finally {
        await releaseOwnLock(deps.locks, lock);
      }
    }
  }
  const last = await lastDone(deps, target.name);
  // No canary is what an abort wants (done already); a promotion has nothing to promote.
  return outcome(
    name === "abort" ? "already-done" : "not-found",
    [
      `No canary is running on \`${target.name}\` (${planned.map((p) => `\`${p.watch === p.service ? `${p.service}${target.env.canary.suffix}` : p.watch}\``).join(", ")} at 0 replicas): nothing to ${name}.`,
      ...(last ? [last] : []),
    ].join(" "),
  );
}

/**
 * A promotion's record GitHub would not write, said in its reply: the cluster is as listed, the
 * history is not. After a successful promotion, the next `/promote` records it (see
 * `missingPromotionRecord`); after a failed one there is nothing to record as deployed.
 */
const unrecordedLine = (env: string, version: string, ok: boolean, why: string): string =>
  [
    `⚠️ GitHub refused the promotion's Deployment record (${why}): the cluster is as listed above, but \`${env}\`'s deployment history does not show **${version}**.`,
    ...(ok ? [`\`/promote ${env}\` again records it; nothing is changed in the cluster.`] : []),
  ].join(" ");

export async function runCanary(
  // Every deploy port: the canary's watch, its analysis (Prometheus, the progress comment) and a promotion's record.
  deps: DeployDeps,
  input: Invocation & { command: CanaryCommand },
): Promise<Outcome> {
  const { command, ...call } = input;
  const target = resolveTarget(deps, call.config, command.env, `\`/${command.name}\``);
  if (isOutcome(target)) return target;
  // A canary's version is gated before the cluster is read; a promotion's once the canary names it.
  if (command.name === "canary") {
    const unapproved = await checkApprovals(deps, call.config, command.env, command.version);
    if (unapproved) return unapproved;
  }
  const analysis = analysisOf(target, command);
  if (analysis && !canAnalyse(deps))
    return outcome(
      "bad-config",
      `\`${command.env}\` analyses its canaries, but this release-pilot installation has no Prometheus server for this repository: its operator adds one under \`prometheus\` in the settings file (RELEASE_PILOT_SETTINGS). \`/canary ${command.env} ${command.name === "canary" ? command.version : "<version>"} --no-analysis\` runs the canary by hand.`,
    );
  const planned = await planAll(target, call, command);
  if (!Array.isArray(planned)) return planned;
  const ready = planned.filter(
    (p): p is ServicePlan & { result: { kind: "plan"; plan: DeployPlan } } => p.result.kind === "plan",
  );
  const refusals = planned.flatMap((p) =>
    p.result.kind === "refused" ? [`- \`${p.service}\`: ${p.result.message}`] : [],
  );
  if (ready.length === 0 && command.name !== "canary") {
    const idle = await nothingRunning(deps, call, target, command.name, planned);
    if (idle) return idle;
  }
  if (ready.length === 0)
    return outcome(
      planned.every((p) => p.result.kind === "refused" && p.result.reason === "unchanged")
        ? "already-done"
        : "not-found",
      [`Nothing to do on \`${command.env}\`:`, ...refusals].join("\n"),
    );
  const version =
    command.name === "canary"
      ? command.version
      : (versionOfImage(ready.find((p) => p.image)?.image) ?? "unknown");
  if (command.name === "promote") {
    const unapproved = await checkApprovals(deps, call.config, command.env, version);
    if (unapproved) return unapproved;
  }
  const lock: EnvironmentLock = {
    env: command.env,
    holder: call.actor,
    reason: `${command.name} ${version}`,
    since: deps.clock.now().toISOString(),
    kind: "deploy",
  };
  // A lock whose holder is gone (its deploy concluded, its claim expired, or older than one
  // rollout with nothing in flight, as after a kill mid-canary) is cleared, and the reply says so.
  const acquired = await acquireClearingStale(deps, lock, target.env.timeoutSeconds);
  if (acquired.kind === "held")
    return outcome("refused-locked", renderLockRefusal(acquired.lock, command.env));
  const cleared = acquired.cleared ? [acquired.cleared, ""] : [];
  // A person's /promote or /abort, or a new canary, ends any analysis still running here.
  const stopped = await stopCanaryAnalyses(
    deps,
    command.env,
    `stopped by /${command.name} from @${call.actor}`,
  );
  const timeline = new Timeline(deps.clock);
  deps.jobs.run(`${command.name} ${command.env}`, async () => {
    try {
      await applyClusterPlans(
        target.cluster,
        ready.map((p) => p.result.plan),
        timeline,
      );
      const results = await watchRollouts(
        target.cluster,
        target.env.namespace,
        ready.map((p) => p.watch),
        target.env.timeoutSeconds * 1000,
        timeline,
        () => deps.clock.now().getTime(),
      );
      const ok = results.every((r) => r.kind === "done");
      // The cluster is the truth: a record GitHub refuses (past the client's retries) is said in
      // the reply, never turned into a failed promotion; the next `/promote` records it.
      let unrecorded: string | undefined;
      if (command.name === "promote")
        await recordPromotion(deps, call, target, ready, version, ok).then(
          (refused) => {
            if (refused !== undefined)
              unrecorded = unrecordedLine(command.env, version, ok, renderUserText(refused, { max: 200 }));
          },
          (e: unknown) => {
            deps.log.error({ err: e, env: command.env, version }, "could not record the promotion");
            unrecorded = unrecordedLine(command.env, version, ok, describeGitHubError(e));
          },
        );
      const analysing =
        ok && analysis && canAnalyse(deps)
          ? await startCanaryAnalysis(
              deps,
              call,
              target,
              analysis,
              version,
              planned.map((p) => ({
                service: p.service,
                canary: p.watch,
                container: p.container,
                image: p.image ?? "",
              })),
            )
          : undefined;
      // A permission error says nothing of the rollout: told as such, never as "failed".
      const unobserved = !ok && results.every((r) => r.kind === "done" || r.kind === "unobserved");
      await deps.thread.reply(
        [
          unobserved
            ? `⚠️ ${verb[command.name]} of **${version}** on \`${command.env}\`: the changes were made, but Kubernetes refused release-pilot permission to follow the rollout, so its outcome is unknown. Give the app's role \`get\` and \`watch\` on deployments (see docs/kubernetes.md), then check \`/status ${command.env}\`:`
            : `${ok ? "✅" : "❌"} ${verb[command.name]} of **${version}** on \`${command.env}\` ${ok ? "done" : "failed"}:`,
          ...ready.map((p) => `- ${p.result.plan.summary}`),
          ...results.map((r) => `- \`${r.deployment}\`: ${r.message}`),
          ...refusals,
          ...(unrecorded ? ["", unrecorded] : []),
          ...(analysing ? ["", analysing] : []),
        ].join("\n"),
      );
    } catch (e) {
      // Named after the system that failed; a 401/403 is a permission to grant, not a failure.
      const refused = e instanceof ClusterError && (e.status === 401 || e.status === 403);
      const said =
        e instanceof ClusterError
          ? refused
            ? `Kubernetes refused release-pilot permission (${e.status}): ${e.message}. Give the app's role \`patch\` on deployments and deployments/scale (see docs/kubernetes.md); \`/status ${command.env}\` shows what changed`
            : `Kubernetes answered ${e.status ?? e.kind}: ${e.message}`
          : e instanceof Error
            ? e.message
            : String(e);
      await deps.thread.reply(
        `${refused ? "⚠️" : "❌"} ${verb[command.name]} on \`${command.env}\` stopped: ${said}`,
      );
    } finally {
      await releaseOwnLock(deps.locks, lock);
    }
  });
  return outcome(
    "in-progress",
    [
      ...cleared,
      `🐤 ${verb[command.name]} of **${version}** on \`${command.env}\` started:`,
      ...ready.map((p) => `- ${p.result.plan.summary}`),
      ...refusals,
      ...(stopped.length
        ? [`- the canary analysis in progress (deployment ${stopped.join(", ")}) is stopped`]
        : []),
    ].join("\n"),
  );
}
