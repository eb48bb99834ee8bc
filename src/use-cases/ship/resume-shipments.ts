/**
 * On start: shipments a previous run left half done are completed. Per repository, one list call
 * reads the most recently updated closed PRs into main (the survey's read); each merged release,
 * hotfix or revert PR merged within the window and without its "shipped" comment (the sequence's
 * last step) runs the ship sequence once more, which does only the missing steps. Cost per
 * repository: one list call, one comment read per recent ship PR, and the ship run of the
 * incomplete ones; the config comes parsed (src/use-cases/resume-repo.ts). Only an incomplete
 * shipment loads the ship sequence and the repository's full ports. A failure is logged and the
 * pass goes on with the next repository.
 */
import { SHIPPED_MARKER_PREFIX } from "../../domain/ship/shipped-comment.js";
import { mightShip, recognizeShipPull } from "../../domain/ship/recognize-ship-pull.js";
import type { Clock } from "../../ports/clock.js";
import type { ResumeSurvey } from "../../ports/resume-survey.js";
import type { DeployLog } from "../deploy/deploy-deps.js";
import type { RepoPorts } from "../repo-ports.js";
import type { ResumeRepo } from "../resume-repo.js";

/** How many recently closed PRs are read (one page), and how far back a merge is resumed. */
export const RESUME_SHIP_LIMITS = { pulls: 30, days: 7 } as const;

export type ShipResumeRepo = Pick<ResumeRepo, "repo" | "config"> & {
  survey: Pick<ResumeSurvey, "pulls" | "issues">;
  ports(): Promise<Pick<RepoPorts, "github" | "models">>;
};

export async function resumeShipments(
  target: ShipResumeRepo,
  deps: { clock: Clock; log: DeployLog },
): Promise<string[]> {
  const { repo, config, survey } = target;
  const resumed: string[] = [];
  const since = deps.clock.now().getTime() - RESUME_SHIP_LIMITS.days * 86_400_000;
  try {
    const merged = await survey.pulls.listRecentlyMerged({
      base: config.release.mainBranch,
      limit: RESUME_SHIP_LIMITS.pulls,
    });
    for (const pull of merged) {
      if (Date.parse(pull.mergedAt) < since) continue;
      const facts = { ...pull, merged: true };
      if (!mightShip(facts) || !recognizeShipPull(facts, config.release, config.ship.hotfix.label)) continue;
      if (await survey.issues.findComment(pull.number, SHIPPED_MARKER_PREFIX)) continue;
      // The ship sequence and the full ports load only when a shipment needs them, so a start with
      // nothing to resume does not hold the ship use-cases (and their Markdown and XML parsers).
      // One after the other, as resume-on-start.ts does: overlapping graphs are linked once.
      const ports = await target.ports();
      const { shipMergedPull } = await import("./ship-merged-pull.js");
      const shipped = await shipMergedPull(ports, { config, facts, url: pull.url, mergeSha: pull.mergeSha });
      if (!shipped) continue;
      deps.log.info(
        {
          repo,
          pull: pull.number,
          reason: shipped.result.reason,
          detail: shipped.result.message.slice(0, 300),
        },
        "resumed an incomplete shipment",
      );
      resumed.push(`${repo.owner}/${repo.repo}#${pull.number}`);
    }
  } catch (err) {
    deps.log.error({ err, repo }, "could not resume the shipments of a repository");
  }
  return resumed;
}
