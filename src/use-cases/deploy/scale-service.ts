/**
 * `/scale <env> <service> <replicas>`: the guide's emergency scale-up. Allowed on a locked
 * environment (it is an emergency tool); recorded on the Deployment itself (who, when, from
 * what) and in the reply.
 */
import { type Outcome, outcome } from "../../domain/outcome.js";
import { type DeployDeps, type Invocation, isOutcome, resolveTarget } from "./deploy-deps.js";
import { renderLogin, renderUserText } from "../../domain/user-text.js";

export const SCALED_BY_ANNOTATION = "release-pilot.io/last-scale";

export async function scaleService(
  deps: Pick<DeployDeps, "clusters" | "clock" | "locks">,
  input: Invocation & { command: { env: string; service: string; replicas: number } },
): Promise<Outcome> {
  const { command, ...call } = input;
  const target = resolveTarget(deps, call.config, command.env, "`/scale`");
  if (isOutcome(target)) return target;
  const wanted = command.service.toLowerCase();
  const service = target.env.services.find(
    (s) => s.deployment.toLowerCase() === wanted || s.name.toLowerCase() === wanted,
  );
  if (!service)
    return outcome(
      "not-found",
      `\`${command.env}\` has no service \`${command.service}\` (services: ${target.env.services.map((s) => `\`${s.deployment}\``).join(", ")}).`,
    );
  const { namespace } = target.env;
  const before = (await target.cluster.getDeployment(namespace, service.deployment)).spec?.replicas ?? 0;
  if (before === command.replicas)
    return outcome(
      "already-done",
      `\`${service.deployment}\` on \`${command.env}\` already has ${before} replicas.`,
    );
  await target.cluster.scale(namespace, service.deployment, command.replicas);
  const at = deps.clock.now().toISOString();
  await target.cluster.patchDeployment(
    namespace,
    service.deployment,
    {
      metadata: {
        annotations: { [SCALED_BY_ANNOTATION]: `${before}->${command.replicas} by ${call.actor} at ${at}` },
      },
    },
    "merge",
  );
  const lock = await deps.locks.get(command.env);
  const note = lock
    ? `\n\nNote: \`${command.env}\` is locked by ${renderLogin(lock.holder)}${lock.reason ? ` (${renderUserText(lock.reason)})` : ""}; emergency scaling goes through anyway.`
    : "";
  return outcome(
    "done",
    `📈 \`${service.deployment}\` on \`${command.env}\` scaled from ${before} to ${command.replicas} replicas by @${call.actor} at ${at}.${note}`,
  );
}
