/**
 * On start: the checklist of every open release or hotfix PR is evaluated again. An evaluation
 * keeps nothing durable in the app (see schedule.ts): if the app stopped (a crash, a kill, a
 * deploy of the app) between writing some of a head's check runs and the rest, the head shows
 * runs `in_progress` or missing, which a branch protection requiring them treats as a merge that
 * cannot happen, until some later event evaluates again. This pass is that event.
 *
 * Cost per repository: one list call (the open PRs into main, one page: the survey's read; the
 * config comes parsed, src/use-cases/resume-repo.ts), and one evaluation per release or hotfix PR
 * among them, at most `evaluations`; only such a PR loads the gates and the repository's full ports. An evaluation writes
 * only what changed (a check run whose output hash, its external_id, differs; none is created
 * twice: runs are found by name on the head SHA), so a start after a clean stop writes nothing.
 * The gates' policy comes from the default branch, as for a webhook; the PR's own content is
 * read as data, whoever opened it. A failure is logged and the pass goes on with the next
 * repository.
 */
import { checklistVersionOf, mightNeedChecklist } from "../../domain/checklist/recognize-checklist-pull.js";
import { checklistFactsOf, checklistPullOf } from "../checklist-pull-fields.js";
import type { ResumeSurvey } from "../../ports/resume-survey.js";
import type { DeployLog } from "../deploy/deploy-deps.js";
import type { RepoPorts } from "../repo-ports.js";
import type { ResumeRepo } from "../resume-repo.js";
import { scheduleChecklist } from "./schedule.js";

/** How many open PRs are read (one page), and how many release or hotfix PRs are evaluated. */
export const RESUME_CHECKLIST_LIMITS = { pulls: 30, evaluations: 5 } as const;

export type ChecklistResumeRepo = Pick<ResumeRepo, "repo" | "config"> & {
  survey: Pick<ResumeSurvey, "pulls">;
  ports(): Promise<Pick<RepoPorts, "checklist">>;
};

export async function resumeChecklists(
  target: ChecklistResumeRepo,
  deps: { log: DeployLog },
): Promise<string[]> {
  const { repo, config, survey } = target;
  const evaluated: string[] = [];
  try {
    const open = await survey.pulls.listOpen({
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
      // The gates and the full ports load only when a release PR needs them, so a start with none
      // open does not hold them.
      // One after the other, as resume-on-start.ts does: overlapping graphs are linked once.
      const ports = await target.ports();
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
  return evaluated;
}
