import type { ChecklistPullFacts } from "../domain/checklist/recognize-checklist-pull.js";
import type { ChecklistPull } from "./run-checklist.js";

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
