import type { ChecklistSettings } from "../checklist-settings.js";
import type { ApprovalsInput, GateRow, Review, Verdict } from "../types.js";

/** The latest review that counts per user: comments do not override an approval or a change request. */
const latestPerUser = (reviews: Review[]): Map<string, Review> => {
  const sorted = [...reviews].sort((a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""));
  const latest = new Map<string, Review>();
  for (const r of sorted) {
    const state = r.state.toUpperCase();
    if (state === "COMMENTED" || state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), { ...r, state });
  }
  return latest;
};

/** N approving reviews from release managers; a manager's pending change request blocks. */
export const evaluateApprovals = (input: ApprovalsInput, config: ChecklistSettings): Verdict => {
  const anyone = config.approvals.managers.length === 0;
  const need = config.approvals.count;
  const isManager = (user: string) =>
    anyone || input.managers[user] === true || input.managers[user.toLowerCase()] === true;
  const rows: GateRow[] = [];
  let approvals = 0;
  let blocked = 0;
  for (const r of latestPerUser(input.reviews).values()) {
    const manager = isManager(r.user);
    if (r.state === "APPROVED" && manager) approvals++;
    if (r.state === "CHANGES_REQUESTED" && manager) blocked++;
    rows.push({
      item: `@${r.user}${manager ? "" : " (not a release manager)"}`,
      measured: r.state.toLowerCase().replace("_", " "),
      threshold: manager ? "approved" : "—",
      state:
        !manager || r.state === "APPROVED" ? "pass" : r.state === "CHANGES_REQUESTED" ? "fail" : "pending",
      link: r.url,
    });
  }
  const who = anyone ? "reviewers" : `release managers (${config.approvals.managers.join(", ")})`;
  rows.unshift({
    item: `approvals from ${who}`,
    measured: String(approvals),
    threshold: `≥ ${String(need)}`,
    state: approvals >= need ? "pass" : "pending",
  });
  if (blocked > 0) {
    return {
      status: "fail",
      title: `${String(blocked)} release manager(s) requested changes`,
      rows,
      advice: ["Address the requested changes and ask for a new review."],
    };
  }
  if (approvals >= need)
    return {
      status: "pass",
      title: `${String(approvals)} of ${String(need)} approvals from ${who}`,
      rows,
      advice: [],
    };
  // Waiting for people is a failing gate (branch protection must block), not a running one.
  return {
    status: "fail",
    title: `${String(approvals)} of ${String(need)} approvals from ${who}`,
    rows,
    advice: [`Request a review from ${anyone ? "a reviewer" : config.approvals.managers.join(", ")}.`],
  };
};
