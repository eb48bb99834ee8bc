import { probotRunApp } from "./composition/probot-run.js";
import {
  acceptsCheckRunCompleted,
  acceptsCheckRunRerequested,
  acceptsCheckSuiteCompleted,
  acceptsPullRequestChecklist,
  acceptsPullRequestReviewChecklist,
  handleCheckRunCompleted,
  handleCheckRunRerequested,
  handleCheckSuiteCompleted,
  handlePullRequestChecklist,
  handlePullRequestReviewChecklist,
} from "./handlers/checklist-events.js";
import { acceptsConfigPush, handleConfigPush } from "./handlers/config-push.js";
import { acceptsAutoDeploy, handleAutoDeploy } from "./handlers/auto-deploy-on-images.js";
import { acceptsHotfixPullRequest, handleHotfixPullRequest } from "./handlers/hotfix-pull-request.js";
import { handleIssueComment, readIssueComment } from "./handlers/issue-comment.js";
import { acceptsIssuesLabeled, handleIssuesLabeled } from "./handlers/issues-labeled.js";
import { acceptsPullRequestClosed, handlePullRequestClosed } from "./handlers/pull-request-closed.js";
import { readingRoute, type Route, route } from "./handlers/routes.js";
import {
  acceptsWorkflowRunCompleted,
  handleWorkflowRunCompleted,
} from "./handlers/workflow-run-completed.js";

/**
 * The routing table: webhook event → handler, and the payload-only reading that says whether
 * the handler might act (a delivery no route accepts is answered without building anything).
 * No logic lives here; src/composition/ builds what the handlers are handed.
 */
export const routes: readonly Route[] = [
  readingRoute("issue_comment.created", readIssueComment, handleIssueComment),
  route("push", handleConfigPush, acceptsConfigPush),
  route("pull_request.closed", handlePullRequestClosed, acceptsPullRequestClosed),
  route("issues.labeled", handleIssuesLabeled, acceptsIssuesLabeled),
  route("pull_request.opened", handleHotfixPullRequest, acceptsHotfixPullRequest),
  route("pull_request.reopened", handleHotfixPullRequest, acceptsHotfixPullRequest),
  route("pull_request.labeled", handleHotfixPullRequest, acceptsHotfixPullRequest),
  route("pull_request.synchronize", handleHotfixPullRequest, acceptsHotfixPullRequest),
  route("workflow_run.completed", handleWorkflowRunCompleted, acceptsWorkflowRunCompleted),
  route("workflow_run.completed", handleAutoDeploy, acceptsAutoDeploy),
  route("pull_request.opened", handlePullRequestChecklist, acceptsPullRequestChecklist),
  route("pull_request.reopened", handlePullRequestChecklist, acceptsPullRequestChecklist),
  route("pull_request.synchronize", handlePullRequestChecklist, acceptsPullRequestChecklist),
  route("pull_request.edited", handlePullRequestChecklist, acceptsPullRequestChecklist),
  route("pull_request_review.submitted", handlePullRequestReviewChecklist, acceptsPullRequestReviewChecklist),
  route("pull_request_review.dismissed", handlePullRequestReviewChecklist, acceptsPullRequestReviewChecklist),
  route("check_suite.completed", handleCheckSuiteCompleted, acceptsCheckSuiteCompleted),
  route("check_run.completed", handleCheckRunCompleted, acceptsCheckRunCompleted),
  route("check_run.rerequested", handleCheckRunRerequested, acceptsCheckRunRerequested),
];

/**
 * What `npx probot run ./lib/index.js` loads: the app is composed from the environment when Probot
 * calls this, after it has read `.env`; importing this file builds nothing.
 */
export default probotRunApp(routes, process.env);
