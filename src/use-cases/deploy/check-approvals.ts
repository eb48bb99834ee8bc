/**
 * The approvals gate (`environments.<env>.gates.approvals`), checked before anything is locked,
 * recorded or touched: the PR that shipped the version needs that many approvals. Not applied to
 * `/rollback`, which must stay open in an emergency.
 */
import type { Config } from "../../config/schema.js";
import type { PermissionLevel } from "../../domain/commands/permission.js";
import {
  approvingUsers,
  evaluateDeployApprovals,
  renderApprovalsRefusal,
} from "../../domain/deploy/evaluate-deploy-approvals.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { ShippedPulls } from "../../ports/deployments.js";

/** undefined when the version may go to `env`; else the refusal. */
export async function checkApprovals(
  pulls: ShippedPulls,
  config: Config,
  env: string,
  version: string,
): Promise<Outcome | undefined> {
  const need = config.environments[env]?.gates.approvals ?? 0;
  if (need <= 0) return undefined;
  const { mainBranch, releaseBranchPrefix } = config.release;
  const pull = await pulls.find({ version, mainBranch, releaseBranchPrefix });
  if (!pull)
    return outcome(
      "refused-gate",
      `\`${env}\` needs **${need}** approving review${need === 1 ? "" : "s"} on the pull request that shipped **${version}**, and I found none: no merged \`${releaseBranchPrefix}${version}\` → \`${mainBranch}\` PR, nor a hotfix PR carrying that version.`,
    );
  const reviews = await pulls.listReviews(pull.number);
  const permissions: Record<string, PermissionLevel> = {};
  await Promise.all(
    approvingUsers(reviews).map(async (user) => {
      permissions[user] = await pulls.permissionOf(user);
    }),
  );
  const verdict = evaluateDeployApprovals({ reviews, permissions, need });
  return verdict.ok
    ? undefined
    : outcome("refused-gate", renderApprovalsRefusal(env, version, pull, verdict));
}
