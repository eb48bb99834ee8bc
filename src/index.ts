import type { Probot } from "probot";
import { FileCache } from "./adapters/github/read-repo-file.js";
import { httpProbe } from "./adapters/jobs/http-probe.js";
import { instanceSettingsFromEnv } from "./adapters/jobs/instance-settings.js";
import { JobTracker } from "./adapters/jobs/job-tracker.js";
import { clusterProviderFromEnv } from "./adapters/kubernetes/cluster-provider.js";
import { instrumentOctokit } from "./adapters/metrics/instrument-octokit.js";
import { createPrometheusMetrics } from "./adapters/metrics/prometheus.js";
import { commandSpecs } from "./domain/commands/registry.js";
import type { AppDeps } from "./handlers/app-deps.js";
import { ArtifactCache } from "./adapters/github/checklist-artifact-cache.js";
import {
  handleCheckRunCompleted,
  handleCheckRunRerequested,
  handleCheckSuiteCompleted,
  handlePullRequestChecklist,
  handlePullRequestReviewChecklist,
  withChecklistRunner,
} from "./handlers/checklist-events.js";
import { handleConfigPush } from "./handlers/config-push.js";
import { handleHotfixPullRequest } from "./handlers/hotfix-pull-request.js";
import { handleIssueComment } from "./handlers/issue-comment.js";
import { handleIssuesLabeled } from "./handlers/issues-labeled.js";
import { handlePullRequestClosed } from "./handlers/pull-request-closed.js";
import { type Route, route } from "./handlers/routes.js";
import { createLogger } from "./logger.js";
import { handleWorkflowRunCompleted } from "./handlers/workflow-run-completed.js";
import { systemClock } from "./ports/clock.js";
import { createCommandRunners } from "./use-cases/command-runners.js";
import type { DeployAppDeps } from "./use-cases/deploy/deploy-runners.js";
import { HeldWatches } from "./use-cases/deploy/held-watches.js";

/** The routing table: webhook event → handler. No logic lives here. */
export const routes: readonly Route[] = [
  route("issue_comment.created", handleIssueComment),
  route("push", handleConfigPush),
  route("pull_request.closed", handlePullRequestClosed),
  route("issues.labeled", handleIssuesLabeled),
  route("pull_request.opened", handleHotfixPullRequest),
  route("pull_request.reopened", handleHotfixPullRequest),
  route("pull_request.labeled", handleHotfixPullRequest),
  route("pull_request.synchronize", handleHotfixPullRequest),
  route("workflow_run.completed", handleWorkflowRunCompleted),
  route("pull_request.opened", handlePullRequestChecklist),
  route("pull_request.reopened", handlePullRequestChecklist),
  route("pull_request.synchronize", handlePullRequestChecklist),
  route("pull_request.edited", handlePullRequestChecklist),
  route("pull_request_review.submitted", handlePullRequestReviewChecklist),
  route("pull_request_review.dismissed", handlePullRequestReviewChecklist),
  route("check_suite.completed", handleCheckSuiteCompleted),
  route("check_run.completed", handleCheckRunCompleted),
  route("check_run.rerequested", handleCheckRunRerequested),
];

export const defaultDeps = (): AppDeps => {
  const metrics = createPrometheusMetrics({ known: { commands: commandSpecs.map((spec) => spec.name) } });
  const clusters = clusterProviderFromEnv(process.env);
  const jobs = new JobTracker(createLogger());
  const deploy: DeployAppDeps = {
    clusters,
    jobs,
    clock: systemClock,
    metrics,
    probe: httpProbe(),
    ...instanceSettingsFromEnv(),
    watches: new HeldWatches(),
  };
  return withChecklistRunner({
    clock: systemClock,
    fileCache: new FileCache(),
    runners: createCommandRunners({ clock: systemClock, deploy }),
    metrics,
    clusters,
    jobs,
    deploy,
    artifactCache: new ArtifactCache(),
  });
};

/** Builds the Probot app function with the given dependencies (tests pass fakes). */
export const createApp =
  (deps: AppDeps = defaultDeps()) =>
  (app: Probot): void => {
    for (const { event, handle } of routes) {
      app.on(event, async (context) => {
        const started = performance.now();
        const installation = (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
        instrumentOctokit(context.octokit, installation, deps.metrics);
        try {
          await handle(deps, context as never);
        } finally {
          deps.metrics.webhookHandled(event, (performance.now() - started) / 1000);
        }
      });
    }
  };

export default createApp();
