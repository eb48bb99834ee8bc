import type { Command } from "../domain/commands/command.js";
import { type ChecklistPullFacts, checklistVersionOf } from "../domain/checklist/recognize-checklist-pull.js";
import { type Outcome, outcome } from "../domain/outcome.js";
import type { CommandContext } from "./command-context.js";
import { type ChecklistPull, renderChecklistReply, runChecklist } from "./run-checklist.js";

/** A pull request's fields the checklist reads, as a payload or the API gives them. */
export interface ChecklistPullFields {
  number: number;
  body?: string | null | undefined;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels?: readonly { name?: string }[] | undefined;
}

export const checklistFactsOf = (pull: ChecklistPullFields): ChecklistPullFacts => ({
  head: pull.head.ref,
  base: pull.base.ref,
  body: pull.body,
  labels: (pull.labels ?? []).flatMap((l) => (l.name ? [l.name] : [])),
});

export const checklistPullOf = (pull: ChecklistPullFields): ChecklistPull => ({
  number: pull.number,
  headSha: pull.head.sha,
  headRef: pull.head.ref,
  baseRef: pull.base.ref,
  ...(pull.body !== undefined ? { body: pull.body } : {}),
});

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
