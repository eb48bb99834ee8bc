import { parseTaskList } from "../task-list.js";
import type { ChecklistSettings } from "../checklist-settings.js";
import type { ComplianceInput, GateRow, Verdict } from "../types.js";
import { statusOf } from "./rows.js";
import { renderUserText } from "../../user-text.js";

/** GitHub stores at most 65,536 characters of a PR body; a longer one is not read. */
export const MAX_BODY_LENGTH = 65_536;

/** The compliance task list in the PR body: every item (or every configured item) is checked. */
export const evaluateCompliance = (input: ComplianceInput, config: ChecklistSettings): Verdict => {
  const body = input.body ?? "";
  if (body.length > MAX_BODY_LENGTH) {
    return {
      status: "error",
      title: "The PR body is too long to read",
      rows: [],
      advice: [`Shorten the PR description to at most ${String(MAX_BODY_LENGTH)} characters.`],
    };
  }
  const tasks = parseTaskList(body);
  const advice: string[] = [];
  let rows: GateRow[];
  if (config.compliance.items.length > 0) {
    rows = config.compliance.items.map((wanted) => {
      const task = tasks.find((t) => t.text.toLowerCase().includes(wanted.toLowerCase()));
      if (!task)
        return {
          item: renderUserText(wanted),
          measured: "not in the PR body",
          threshold: "checked",
          state: "missing",
        };
      return {
        item: renderUserText(task.text),
        measured: task.checked ? "checked" : "unchecked",
        threshold: "checked",
        state: task.checked ? "pass" : "fail",
      };
    });
  } else {
    rows = tasks.map((t) => ({
      item: renderUserText(t.text),
      measured: t.checked ? "checked" : "unchecked",
      threshold: "checked",
      state: t.checked ? "pass" : "fail",
    }));
  }
  if (tasks.length === 0) {
    return {
      status: "missing",
      title: "The PR body has no compliance checklist",
      rows,
      advice: [
        "Add the compliance checklist (`- [ ] Data privacy compliance`, …) to the PR description and tick each item.",
      ],
    };
  }
  const status = statusOf(rows);
  const open = rows.filter((r) => r.state !== "pass").map((r) => r.item);
  if (open.length > 0) advice.push(`Complete and tick: ${open.join("; ")}.`);
  const title =
    status === "pass"
      ? `All ${String(rows.length)} compliance items checked`
      : `${String(open.length)} of ${String(rows.length)} compliance items open`;
  return { status, title, rows, advice };
};
