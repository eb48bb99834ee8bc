import { probotRunApp } from "./composition/probot-run.js";
import {
  acceptsCheckSuiteCompleted,
  acceptsConfigPush,
  acceptsAutoDeploy,
  acceptsHotfixPullRequest,
  acceptsIssuesLabeled,
  acceptsPullRequestChecklist,
  acceptsPullRequestClosed,
  acceptsPullRequestReviewChecklist,
  acceptsWorkflowRunCompleted,
  mightHoldCommand,
  mightMoveChecklist,
  mightRerunChecklist,
} from "./handlers/route-predicates.js";
import { accepting, once, readingRoute, type Route, route } from "./handlers/routes.js";

// Each handler's module (its use-cases, the config schema, the Markdown parser …) is imported the
// first time a delivery passes its route's predicate, not when the app starts.
const checklist = once(() => import("./handlers/checklist-events.js"));
const hotfixPull = once(() => import("./handlers/hotfix-pull-request.js"));

/**
 * The routing table: webhook event → the cheap payload-only predicate that says whether the
 * handler might act (a delivery no route accepts is answered without building or importing
 * anything) → the handler's module, loaded on first need. No logic lives here; src/composition/
 * builds what the handlers are handed.
 */
export const routes: readonly Route[] = [
  readingRoute(
    "issue_comment.created",
    mightHoldCommand,
    async () => (await import("./handlers/issue-comment.js")).issueComment,
  ),
  route("push", acceptsConfigPush, async () => (await import("./handlers/config-push.js")).handleConfigPush),
  route(
    "pull_request.closed",
    acceptsPullRequestClosed,
    async () => (await import("./handlers/pull-request-closed.js")).handlePullRequestClosed,
  ),
  route(
    "issues.labeled",
    acceptsIssuesLabeled,
    async () => (await import("./handlers/issues-labeled.js")).handleIssuesLabeled,
  ),
  route(
    "pull_request.opened",
    acceptsHotfixPullRequest,
    async () => (await hotfixPull()).handleHotfixPullRequest,
  ),
  route(
    "pull_request.reopened",
    acceptsHotfixPullRequest,
    async () => (await hotfixPull()).handleHotfixPullRequest,
  ),
  route(
    "pull_request.labeled",
    acceptsHotfixPullRequest,
    async () => (await hotfixPull()).handleHotfixPullRequest,
  ),
  route(
    "pull_request.synchronize",
    acceptsHotfixPullRequest,
    async () => (await hotfixPull()).handleHotfixPullRequest,
  ),
  route(
    "workflow_run.completed",
    acceptsWorkflowRunCompleted,
    async () => (await import("./handlers/workflow-run-completed.js")).handleWorkflowRunCompleted,
  ),
  route(
    "workflow_run.completed",
    acceptsAutoDeploy,
    async () => (await import("./handlers/auto-deploy-on-images.js")).handleAutoDeploy,
  ),
  route(
    "pull_request.opened",
    acceptsPullRequestChecklist,
    async () => (await checklist()).handlePullRequestChecklist,
  ),
  route(
    "pull_request.reopened",
    acceptsPullRequestChecklist,
    async () => (await checklist()).handlePullRequestChecklist,
  ),
  route(
    "pull_request.synchronize",
    acceptsPullRequestChecklist,
    async () => (await checklist()).handlePullRequestChecklist,
  ),
  route(
    "pull_request.edited",
    acceptsPullRequestChecklist,
    async () => (await checklist()).handlePullRequestChecklist,
  ),
  route(
    "pull_request_review.submitted",
    acceptsPullRequestReviewChecklist,
    async () => (await checklist()).handlePullRequestReviewChecklist,
  ),
  route(
    "pull_request_review.dismissed",
    acceptsPullRequestReviewChecklist,
    async () => (await checklist()).handlePullRequestReviewChecklist,
  ),
  route(
    "check_suite.completed",
    acceptsCheckSuiteCompleted,
    async () => (await checklist()).handleCheckSuiteCompleted,
  ),
  readingRoute("check_run.completed", mightMoveChecklist, async () => {
    const m = await checklist();
    return accepting(m.acceptsCheckRunCompleted, m.handleCheckRunCompleted);
  }),
  readingRoute("check_run.rerequested", mightRerunChecklist, async () => {
    const m = await checklist();
    return accepting(m.acceptsCheckRunRerequested, m.handleCheckRunRerequested);
  }),
];

/**
 * What `npx probot run ./lib/index.js` loads: the app is composed from the environment when Probot
 * calls this, after it has read `.env`; importing this file builds nothing.
 */
export default probotRunApp(routes, process.env);
