/**
 * The routing table's predicates: what each route asks of a delivery's payload before its
 * handler's module is imported (src/index.ts). Cheap and payload-only, and light to import: no
 * config schema, no Markdown parser, no use-case. A predicate may let through a delivery its
 * handler then ignores (the module's exact reader decides), never the other way round.
 */
import type { Context } from "probot";
import { CONFIG_PATH } from "../config/config-path.js";
import { mightNeedChecklist } from "../domain/checklist/recognize-checklist-pull.js";
import { mayHoldCommand } from "../domain/commands/may-hold-command.js";
import { mightShip } from "../domain/ship/recognize-ship-pull.js";
import { parseShipMarker } from "../domain/ship/ship-marker.js";
import { checklistFactsOf } from "../use-cases/checklist-pull-fields.js";
import { pullFactsOf } from "./ship-payloads.js";

/**
 * A person's comment with a line that could be a command (`/` and a name at the start of a line,
 * see may-hold-command.ts); bots' comments (this app's replies included) never are. Whether
 * GitHub shows that line as text (not in code, a quote or an HTML comment) takes the Markdown
 * parse, in the handler's module (`readIssueComment`).
 */
export const mightHoldCommand = ({ comment, sender }: Context<"issue_comment.created">["payload"]): boolean =>
  sender.type !== "Bot" &&
  comment.user?.type !== "Bot" &&
  typeof comment.body === "string" &&
  mayHoldCommand(comment.body);

const touchesConfig = (commits: readonly { added?: string[]; modified?: string[] }[]): boolean =>
  commits.some((c) => [...(c.added ?? []), ...(c.modified ?? [])].includes(CONFIG_PATH));

/** Only a push to a branch that adds or changes the config file is checked. */
export const acceptsConfigPush = ({ deleted, ref, commits }: Context<"push">["payload"]): boolean =>
  !deleted && ref.startsWith("refs/heads/") && touchesConfig(commits);

/** Only a merged PR that might be a release, hotfix or revert PR can ship. */
export const acceptsPullRequestClosed = ({
  pull_request: pr,
}: Context<"pull_request.closed">["payload"]): boolean =>
  mightShip(pullFactsOf(pr)) && Boolean(pr.merge_commit_sha);

/** Only a label put on an open issue (not a PR) might be the hotfix label. */
export const acceptsIssuesLabeled = ({ issue, label }: Context<"issues.labeled">["payload"]): boolean =>
  Boolean(label) && issue.state === "open" && !issue.pull_request;

type HotfixEvent =
  "pull_request.opened" | "pull_request.reopened" | "pull_request.labeled" | "pull_request.synchronize";

/**
 * Only an open PR of this repository, pushed by a person, not bumped yet, with a label or a
 * branch naming a hotfix, might be a hotfix PR to bump.
 */
export const acceptsHotfixPullRequest = ({
  pull_request: pr,
  sender,
}: Context<HotfixEvent>["payload"]): boolean => {
  if (pr.state !== "open" || sender.type === "Bot") return false;
  const facts = pullFactsOf(pr);
  return (
    facts.sameRepo &&
    parseShipMarker(pr.body)?.kind !== "hotfix" &&
    (facts.labels.length > 0 || /hotfix/i.test(facts.head))
  );
};

/** Only a run started by something other than a branch push or a PR might publish images. */
export const acceptsWorkflowRunCompleted = ({
  workflow_run: run,
}: Context<"workflow_run.completed">["payload"]): boolean =>
  Boolean(run.path) && run.event !== "push" && run.event !== "pull_request";

/** Only a successful run of a workflow file (not a pull request's) may have published images. */
export const acceptsAutoDeploy = ({
  workflow_run: run,
}: Context<"workflow_run.completed">["payload"]): boolean =>
  Boolean(run.path) && run.conclusion === "success" && run.event !== "pull_request";

type PullEvent =
  "pull_request.opened" | "pull_request.reopened" | "pull_request.synchronize" | "pull_request.edited";

/** Only an open PR that might be a release or hotfix PR gets a checklist. */
export const acceptsPullRequestChecklist = ({ pull_request: pull }: Context<PullEvent>["payload"]): boolean =>
  pull.state === "open" && mightNeedChecklist(checklistFactsOf(pull));

/** Only a review on an open PR that might be a release or hotfix PR moves the approvals gate. */
export const acceptsPullRequestReviewChecklist = ({
  pull_request: pull,
}: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">["payload"]): boolean =>
  pull.state === "open" && mightNeedChecklist(checklistFactsOf(pull));

/** A PR head branch that a release or hotfix PR comes from. */
export const shipsFrom = (pull: { head: { ref: string } }): boolean =>
  /^(release|hotfix)\//.test(pull.head.ref);

/** Only a suite on the head of a release or hotfix PR moves the gates. */
export const acceptsCheckSuiteCompleted = ({
  check_suite: suite,
}: Context<"check_suite.completed">["payload"]): boolean => suite.pull_requests.some(shipsFrom);

/**
 * Only a check run on the head of a release or hotfix PR might move the gates; whether it is
 * another app's check than the checklist's own (whose names the gate registry holds) is the
 * handler module's reading (`acceptsCheckRunCompleted`).
 */
export const mightMoveChecklist = ({ check_run: run }: Context<"check_run.completed">["payload"]): boolean =>
  run.pull_requests.some(shipsFrom);

/**
 * Only a Re-run of a check run on a PR might re-create a checklist run; whether it is one of
 * ours is the handler module's reading (`acceptsCheckRunRerequested`).
 */
export const mightRerunChecklist = ({
  check_run: run,
}: Context<"check_run.rerequested">["payload"]): boolean => run.pull_requests.length > 0;
