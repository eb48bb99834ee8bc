/**
 * On start: the checklist of every open release or hotfix PR is evaluated again. An evaluation
 * keeps nothing durable in the app (see schedule.ts): if the app stopped (a crash, a kill, a
 * deploy of the app) between writing some of a head's check runs and the rest, the head shows
 * runs `in_progress` or missing, which a branch protection requiring them treats as a merge that
 * cannot happen, until some later event evaluates again. This pass is that event.
 *
 * Cost per repository: one config read, one list call (the open PRs into main, one page), and one
 * evaluation per release or hotfix PR among them, at most `evaluations`. An evaluation writes
 * only what changed (a check run whose output hash, its external_id, differs; none is created
 * twice: runs are found by name on the head SHA), so a start after a clean stop writes nothing.
 * The gates' policy comes from the default branch, as for a webhook; the PR's own content is
 * read as data, whoever opened it. A failing repository is logged and the others still resume.
 */
import { loadConfig } from "../../config/load-config.js";
import { checklistVersionOf, mightNeedChecklist } from "../../domain/checklist/recognize-checklist-pull.js";
import { checklistFactsOf, checklistPullOf } from "../checklist-pull-fields.js";
import type { DeployLog } from "../deploy/deploy-deps.js";
import type { RepoPorts } from "../repo-ports.js";
import { scheduleChecklist } from "./schedule.js";

/** How many open PRs are read (one page), and how many release or hotfix PRs are evaluated. */
export const RESUME_CHECKLIST_LIMITS = { pulls: 30, evaluations: 5 } as const;

export async function resumeChecklists(
  repos: readonly Pick<RepoPorts, "repo" | "readFile" | "github" | "checklist">[],
  deps: { log: DeployLog },
): Promise<string[]> {
  const evaluated: string[] = [];
  for (const ports of repos) {
    const { repo } = ports;
    try {
      const loaded = await loadConfig(ports.readFile, repo);
      if (!loaded.ok) continue;
      const config = loaded.config;
      const open = await ports.github.pulls.listOpen({
        base: config.release.mainBranch,
        limit: RESUME_CHECKLIST_LIMITS.pulls,
      });
      let count = 0;
      for (const pull of open) {
        const facts = checklistFactsOf(pull);
        if (!mightNeedChecklist(facts)) continue;
        const shipping = checklistVersionOf(facts, config.release);
        if (!shipping) continue;
        if (count++ >= RESUME_CHECKLIST_LIMITS.evaluations) {
          deps.log.info(
            { repo, limit: RESUME_CHECKLIST_LIMITS.evaluations },
            "more open release PRs than the start evaluates; the rest wait for their next event",
          );
          break;
        }
        // The gates load only when a release PR needs them, so a start with none open does not
        // hold them.
        const { runChecklist } = await import("../run-checklist.js");
        const checklist = ports.checklist();
        checklist.memory?.rememberConfig(config);
        // Coalesced with any evaluation of the same head a webhook starts meanwhile.
        await scheduleChecklist(
          checklist,
          `${String(pull.number)}@${pull.head.sha}`,
          "all",
          async () => {
            const result = await runChecklist(checklist, {
              config,
              pull: checklistPullOf(pull),
              version: shipping.version,
              previousVersion: shipping.previousVersion,
            });
            deps.log.info(
              { repo, pull: pull.number, readiness: result.readiness.status, writes: result.writes },
              "checklist evaluated on start",
            );
          },
          "now",
        );
        evaluated.push(`${repo.owner}/${repo.repo}#${pull.number}`);
      }
    } catch (err) {
      deps.log.error({ err, repo }, "could not evaluate the open release PRs of a repository");
    }
  }
  return evaluated;
}
