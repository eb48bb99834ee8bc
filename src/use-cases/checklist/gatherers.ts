import type { GateId, GateInputs } from "../../domain/checklist/types.js";
import { gatherApprovals } from "./gather-approvals.js";
import { gatherChecks } from "./gather-checks.js";
import { gatherCoverage } from "./gather-coverage.js";
import type { GatherContext } from "./gather-context.js";
import { gatherModels } from "./gather-models.js";
import { gatherDocs, gatherVersions } from "./gather-repo-files.js";
import { gatherSecurity } from "./gather-security.js";

/** Gate id → how its inputs are read through the ports. */
export const gatherers: { [K in GateId]: (ctx: GatherContext) => Promise<GateInputs[K]> } = {
  tests: gatherChecks,
  coverage: gatherCoverage,
  security: gatherSecurity,
  docs: gatherDocs,
  versions: gatherVersions,
  models: gatherModels,
  integration: gatherChecks,
  approvals: gatherApprovals,
  compliance: async (ctx) => ({
    body: ctx.pr.body !== undefined ? ctx.pr.body : await ctx.deps.pulls.readPullBody(ctx.pr.number),
  }),
};
