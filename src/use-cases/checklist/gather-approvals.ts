import type { ApprovalsInput } from "../../domain/checklist/types.js";
import type { GatherContext } from "./gather-context.js";

/**
 * The PR's reviews and which reviewers are release managers. Team membership is looked up
 * only for reviewers who approved or requested changes, and only when no listed user matches.
 */
export const gatherApprovals = async (ctx: GatherContext): Promise<ApprovalsInput> => {
  const reviews = await ctx.deps.pulls.listReviews(ctx.pr.number);
  const entries = ctx.config.approvals.managers;
  const users = new Set(
    entries.filter((m) => !m.includes("/")).map((m) => m.replace(/^@/, "").toLowerCase()),
  );
  const teams = entries.flatMap((m) => {
    const [org, team] = m.replace(/^@/, "").split("/");
    return org !== undefined && team !== undefined ? [{ org, team }] : [];
  });
  const deciders = [
    ...new Set(
      reviews
        .filter((r) => ["APPROVED", "CHANGES_REQUESTED"].includes(r.state.toUpperCase()))
        .map((r) => r.user.toLowerCase()),
    ),
  ];
  const managers: Record<string, boolean> = {};
  await Promise.all(
    deciders.map(async (user) => {
      if (users.has(user)) {
        managers[user] = true;
        return;
      }
      for (const { org, team } of teams) {
        if (await ctx.deps.source.isTeamMember(org, team, user)) {
          managers[user] = true;
          return;
        }
      }
      managers[user] = false;
    }),
  );
  return { reviews, managers };
};
