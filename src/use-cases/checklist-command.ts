import type { Command } from "../domain/commands/command.js";
import { checklistVersionOf } from "../domain/checklist/recognize-checklist-pull.js";
import { type Outcome, outcome } from "../domain/outcome.js";
import type { CommandContext } from "./command-context.js";
import { checklistFactsOf, checklistPullOf } from "./checklist-pull-fields.js";
import { renderChecklistReply, runChecklist } from "./run-checklist.js";

export { type ChecklistPullFields, checklistFactsOf, checklistPullOf } from "./checklist-pull-fields.js";

/** `/checklist` on a release or hotfix PR: evaluate now and answer with every gate's state. */
export const runChecklistCommand = async (
  context: CommandContext,
  _command: Extract<Command, { name: "checklist" }>,
): Promise<Outcome> => {
  if (!context.issue.isPullRequest) {
    return outcome("bad-command", "`/checklist` runs on a release or hotfix pull request, not on an issue.");
  }
  const data = await context.ports.getPull(context.issue.number);
  const shipping = checklistVersionOf(checklistFactsOf(data), context.config.release);
  if (data.state !== "open" || !shipping) {
    return outcome("bad-command", "`/checklist` runs on an open release or hotfix pull request into main.");
  }
  const version = shipping.version;
  const result = await runChecklist(context.ports.checklist(), {
    config: context.config,
    pull: checklistPullOf(data),
    version,
    previousVersion: shipping.previousVersion,
    force: true,
  });
  return renderChecklistReply(version, result);
};
