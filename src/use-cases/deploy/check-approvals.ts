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
import type { Issues } from "../../ports/issues.js";
import type { Pulls } from "../../ports/pulls.js";

/** undefined when the version may go to `env`; else the refusal. */
export async function checkApprovals(
  deps: { pulls: Pick<Pulls, "findShipped" | "listReviews">; issues: Pick<Issues, "permissionOf"> },
  config: Config,
  env: string,
  version: string,
): Promise<Outcome | undefined> {
  const need = config.environments[env]?.gates.approvals ?? 0;
  if (need <= 0) return undefined;
  const { mainBranch, releaseBranchPrefix } = config.release;
  const { pulls, issues } = deps;
  const pull = await pulls.findShipped({ version, mainBranch, releaseBranchPrefix });
  if (!pull)
    return outcome(
      "refused-gate",
      `\`${env}\` needs **${need}** approving review${need === 1 ? "" : "s"} on the pull request that shipped **${version}**, and I found none: no merged \`${releaseBranchPrefix}${version}\` → \`${mainBranch}\` PR, nor a hotfix PR carrying that version.`,
    );
  const reviews = await pulls.listReviews(pull.number);
  const permissions: Record<string, PermissionLevel> = {};
  await Promise.all(
    approvingUsers(reviews).map(async (user) => {
      permissions[user] = await issues.permissionOf(user);
    }),
  );
  const verdict = evaluateDeployApprovals({ reviews, permissions, need });
  return verdict.ok
    ? undefined
    : outcome("refused-gate", renderApprovalsRefusal(env, version, pull, verdict));
}
