/** `/lock <env> [reason]` and `/unlock <env>`: the lock people see, as a ref in the repository. */
import type { Config } from "../../config/schema.js";
import { renderLockRefusal } from "../../domain/deploy/lock-message.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { DeployDeps, Invocation } from "./deploy-deps.js";
import { renderLogin, renderUserText } from "../../domain/user-text.js";
import { acquireClearingStale, readLock } from "./stale-lock.js";

const unknownEnv = (config: Config, env: string): Outcome | undefined =>
  Object.hasOwn(config.environments, env)
    ? undefined
    : outcome("not-found", `There is no environment \`${env}\` in this repository's release-pilot config.`);

export async function lockEnvironment(
  deps: Pick<DeployDeps, "locks" | "clock" | "records" | "instance" | "claimMarginSeconds">,
  input: Invocation & { command: { env: string; reason: string } },
): Promise<Outcome> {
  const { command, ...call } = input;
  const unknown = unknownEnv(call.config, command.env);
  if (unknown) return unknown;
  const since = deps.clock.now().toISOString();
  const acquired = await acquireClearingStale(
    deps,
    { env: command.env, holder: call.actor, reason: command.reason, since, kind: "manual" },
    call.config.environments[command.env]?.timeoutSeconds,
  );
  if (acquired.kind === "held") {
    const held = acquired.lock;
    if (held?.kind === "manual" && held.holder === call.actor)
      return outcome(
        "already-done",
        `\`${command.env}\` is already locked by you since ${renderUserText(held.since)}.`,
      );
    return outcome("refused-locked", renderLockRefusal(held, command.env));
  }
  return outcome(
    "done",
    `${acquired.cleared ? `${acquired.cleared}\n\n` : ""}🔒 \`${command.env}\` is locked by ${renderLogin(call.actor)}${command.reason ? `: ${renderUserText(command.reason)}` : ""}. Deploys are refused until \`/unlock ${command.env}\`.`,
  );
}

export async function unlockEnvironment(
  deps: Pick<DeployDeps, "locks" | "records">,
  input: Invocation & { command: { env: string } },
): Promise<Outcome> {
  const { command, ...call } = input;
  const unknown = unknownEnv(call.config, command.env);
  if (unknown) return unknown;
  const held = await readLock(deps, command.env);
  if (!(await deps.locks.release(command.env)))
    return outcome("already-done", `\`${command.env}\` was not locked.`);
  const was =
    held && held.holder
      ? ` (held by ${renderLogin(held.holder)} since ${renderUserText(held.since)}: ${held.reason ? renderUserText(held.reason) : "no reason given"})`
      : "";
  const warning =
    held?.kind === "deploy"
      ? "\n\n⚠️ That lock belonged to a running deploy; it keeps running but no longer holds the environment."
      : "";
  return outcome("done", `🔓 \`${command.env}\` is unlocked${was}.${warning}`);
}
