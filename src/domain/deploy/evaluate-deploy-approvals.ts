/**
 * The approvals gate of an environment (`gates.approvals`): the pull request that shipped a
 * version needs N approving reviews from distinct people with write access or more. Only each
 * person's latest decisive review counts (a comment does not undo an approval; a change request
 * or a dismissal does).
 */
import { hasPermission, type PermissionLevel } from "../commands/permission.js";

export interface DeployReview {
  user: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING, as GitHub spells them. */
  state: string;
  submittedAt?: string | undefined;
}

/** The pull request that shipped a version into the main branch. */
export interface ShippingPull {
  number: number;
  url: string;
  /** The issue that started it, from its marker (the release's tracking issue). */
  issue?: number | undefined;
}

export interface ApprovalsVerdict {
  ok: boolean;
  need: number;
  /** Who counts: latest review APPROVED and write access or more (sorted). */
  approvers: string[];
  /** Latest review APPROVED, but without write access (they do not count). */
  withoutAccess: string[];
}

const APPROVER_PERMISSION: PermissionLevel = "write";

/** Each person's latest review that decides something (comments and pending reviews do not). */
const latestDecisions = (reviews: readonly DeployReview[]): Map<string, string> => {
  const ordered = [...reviews].sort((a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""));
  const latest = new Map<string, string>();
  for (const r of ordered) {
    const state = r.state.toUpperCase();
    if (state === "COMMENTED" || state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), state);
  }
  return latest;
};

/** Logins whose latest decisive review approves (lower-case): the only ones whose access is read. */
export const approvingUsers = (reviews: readonly DeployReview[]): string[] =>
  [...latestDecisions(reviews)].filter(([, state]) => state === "APPROVED").map(([user]) => user);

export const evaluateDeployApprovals = (input: {
  reviews: readonly DeployReview[];
  /** Permission of each approving user (lower-case login). */
  permissions: Readonly<Record<string, PermissionLevel>>;
  need: number;
}): ApprovalsVerdict => {
  const approvers: string[] = [];
  const withoutAccess: string[] = [];
  for (const user of approvingUsers(input.reviews)) {
    const level = input.permissions[user] ?? "none";
    (hasPermission(level, APPROVER_PERMISSION) ? approvers : withoutAccess).push(user);
  }
  return { ok: approvers.length >= input.need, need: input.need, approvers: approvers.sort(), withoutAccess };
};

/** The refusal reply: which PR, how many approvals it has, how many are needed, who may approve. */
export const renderApprovalsRefusal = (
  env: string,
  version: string,
  pull: ShippingPull,
  verdict: ApprovalsVerdict,
): string => {
  const have = verdict.approvers.length;
  const lines = [
    `\`${env}\` needs **${verdict.need}** approving review${verdict.need === 1 ? "" : "s"} on the pull request that shipped **${version}**; [#${pull.number}](${pull.url}) has **${have}**${have ? ` (${verdict.approvers.map((u) => `@${u}`).join(", ")})` : ""}.`,
    "",
    `Approvals count from people with **${APPROVER_PERMISSION}** access or more to this repository, one per person, their latest review only (a later change request or a dismissed review takes it back).`,
  ];
  if (verdict.withoutAccess.length)
    lines.push(
      `Not counted (no ${APPROVER_PERMISSION} access): ${verdict.withoutAccess.map((u) => `@${u}`).join(", ")}.`,
    );
  lines.push(`\`/rollback ${env}\` is not gated: it stays open in an emergency.`);
  return lines.join("\n");
};
