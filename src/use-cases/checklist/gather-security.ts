import type { SecurityEvidence, SecurityInput, SecuritySource } from "../../domain/checklist/types.js";
import { findArtifactFiles } from "./find-artifact-files.js";
import { errorMessage, type GatherContext } from "./gather-context.js";

const evidenceFor = async (ctx: GatherContext, source: SecuritySource): Promise<SecurityEvidence> => {
  const s = ctx.config.security;
  switch (source) {
    case "code-scanning": {
      // Pull-request workflows analyse the merge ref; push workflows the branch itself.
      const refs = [`refs/pull/${String(ctx.pr.number)}/merge`, `refs/heads/${ctx.pr.headRef}`];
      for (const ref of refs) {
        const findings = await ctx.deps.source.listCodeScanningAlerts(ref);
        if (findings !== null) return { kind: "findings", findings };
      }
      return { kind: "missing", reason: `no code-scanning analysis on ${refs.join(" or ")}` };
    }
    case "dependabot":
      return { kind: "findings", findings: await ctx.deps.source.listDependabotAlerts() };
    case "trivy":
    case "bandit": {
      const pattern = source === "trivy" ? s.trivyReport : s.banditReport;
      const { files, artifacts, errors } = await findArtifactFiles(ctx, s.artifact, [pattern]);
      if (files.length > 0)
        return {
          kind: "reports",
          reports: files.map((f) => ({ path: `${f.artifact.name}/${f.path}`, text: f.text })),
        };
      if (errors.length > 0) return { kind: "error", message: errors.join("; ") };
      return {
        kind: "missing",
        reason:
          artifacts.length === 0
            ? `no artifact matches '${s.artifact}'`
            : `no file matches '${pattern}' in ${artifacts.map((a) => a.name).join(", ")}`,
      };
    }
  }
};

/** Findings from every configured source; one unreadable source fails only its row. */
export const gatherSecurity = async (ctx: GatherContext): Promise<SecurityInput> => ({
  sources: await Promise.all(
    ctx.config.security.sources.map(async (source) => {
      try {
        return { source, evidence: await evidenceFor(ctx, source) };
      } catch (e) {
        return { source, evidence: { kind: "error" as const, message: errorMessage(e) } };
      }
    }),
  ),
});
