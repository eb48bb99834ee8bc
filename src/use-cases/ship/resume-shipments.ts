/**
 * On start: shipments a previous run left half done are completed. Per repository, one list call
 * reads the most recently updated closed PRs into main; each merged release, hotfix or revert PR
 * merged within the window and without its "shipped" comment (the sequence's last step) runs the
 * ship sequence once more, which does only the missing steps. Cost per repository: one config
 * read, one list call, one comment read per recent ship PR, and the ship run of the incomplete
 * ones. A failing repository is logged and the others still resume.
 */
import { loadConfig } from "../../config/load-config.js";
import { SHIPPED_MARKER_PREFIX } from "../../domain/ship/shipped-comment.js";
import { mightShip, recognizeShipPull } from "../../domain/ship/recognize-ship-pull.js";
import type { Clock } from "../../ports/clock.js";
import type { DeployLog } from "../deploy/deploy-deps.js";
import type { RepoPorts } from "../repo-ports.js";

/** How many recently closed PRs are read (one page), and how far back a merge is resumed. */
export const RESUME_SHIP_LIMITS = { pulls: 30, days: 7 } as const;

export async function resumeShipments(
  repos: readonly Pick<RepoPorts, "repo" | "readFile" | "github" | "models">[],
  deps: { clock: Clock; log: DeployLog },
): Promise<string[]> {
  const resumed: string[] = [];
  const since = deps.clock.now().getTime() - RESUME_SHIP_LIMITS.days * 86_400_000;
  for (const ports of repos) {
    const { repo } = ports;
    try {
      const loaded = await loadConfig(ports.readFile, repo);
      if (!loaded.ok) continue;
      const config = loaded.config;
      const merged = await ports.github.pulls.listRecentlyMerged({
        base: config.release.mainBranch,
        limit: RESUME_SHIP_LIMITS.pulls,
      });
      for (const pull of merged) {
        if (Date.parse(pull.mergedAt) < since) continue;
        const facts = { ...pull, merged: true };
        if (!mightShip(facts) || !recognizeShipPull(facts, config.release, config.ship.hotfix.label))
          continue;
        if (await ports.github.issues.findComment(pull.number, SHIPPED_MARKER_PREFIX)) continue;
        // The ship sequence loads only when a shipment needs it, so a start with nothing to
        // resume does not hold the ship use-cases (and their Markdown and XML parsers).
        const { shipMergedPull } = await import("./ship-merged-pull.js");
        const shipped = await shipMergedPull(ports, {
          config,
          facts,
          url: pull.url,
          mergeSha: pull.mergeSha,
        });
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
  }
  return resumed;
}
