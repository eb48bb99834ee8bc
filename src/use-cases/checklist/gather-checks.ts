import { checklistCheckNames } from "../../domain/checklist/gate-registry.js";
import type { ChecksInput } from "../../domain/checklist/types.js";
import type { GatherContext } from "./gather-context.js";

/** CI checks on the head commit, without this app's own checklist runs. */
export const gatherChecks = async (ctx: GatherContext): Promise<ChecksInput> => {
  const own = new Set(checklistCheckNames().map((n) => n.toLowerCase()));
  return {
    checks: (await ctx.checks()).filter((c) => !(c.source === "check-run" && own.has(c.name.toLowerCase()))),
  };
};
