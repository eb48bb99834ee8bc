import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { FileCache } from "./adapters/github/read-repo-file.js";
import { httpProbe } from "./adapters/jobs/http-probe.js";
import { instanceSettingsFromEnv } from "./adapters/jobs/instance-settings.js";
import { JobTracker } from "./adapters/jobs/job-tracker.js";
import { clusterProviderFromEnv } from "./adapters/kubernetes/cluster-provider.js";
import { instrumentOctokit } from "./adapters/metrics/instrument-octokit.js";
import { serveMetrics } from "./adapters/metrics/metrics-route.js";
import { createPrometheusMetrics } from "./adapters/metrics/prometheus.js";
import { operatorSettingsFromEnv } from "./config/operator-settings.js";
import { commandSpecs } from "./domain/commands/command-specs.js";
import type { AppDeps } from "./handlers/app-deps.js";
import { ArtifactCache } from "./adapters/github/checklist-artifact-cache.js";
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
  withChecklistRunner,
} from "./handlers/checklist-events.js";
import { acceptsConfigPush, handleConfigPush } from "./handlers/config-push.js";
import { acceptsAutoDeploy, handleAutoDeploy } from "./handlers/auto-deploy.js";
import { acceptsHotfixPullRequest, handleHotfixPullRequest } from "./handlers/hotfix-pull-request.js";
import { acceptsIssueComment, handleIssueComment } from "./handlers/issue-comment.js";
import { acceptsIssuesLabeled, handleIssuesLabeled } from "./handlers/issues-labeled.js";
import { acceptsPullRequestClosed, handlePullRequestClosed } from "./handlers/pull-request-closed.js";
import { type Route, route, routeAccepts } from "./handlers/routes.js";
import { createLogger } from "./logger.js";
import { resumeDeploys } from "./resume-deploys.js";
import {
  acceptsWorkflowRunCompleted,
  handleWorkflowRunCompleted,
} from "./handlers/workflow-run-completed.js";
import { systemClock } from "./ports/clock.js";
import { createCommandRunners } from "./use-cases/command-runners.js";
import type { DeployAppDeps } from "./use-cases/deploy/deploy-runners.js";
import { HeldWatches } from "./use-cases/deploy/held-watches.js";

/**
 * The routing table: webhook event → handler, and the payload-only predicate that says whether
 * the handler might act (a delivery no route accepts is answered without building anything).
 * No logic lives here.
 */
export const routes: readonly Route[] = [
  route("issue_comment.created", handleIssueComment, acceptsIssueComment),
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

export const defaultDeps = (): AppDeps => {
  const metrics = createPrometheusMetrics({ known: { commands: commandSpecs.map((spec) => spec.name) } });
  const operator = operatorSettingsFromEnv(process.env);
  const clusters = clusterProviderFromEnv(process.env);
  const jobs = new JobTracker(createLogger());
  const deploy: DeployAppDeps = {
    clusters,
    jobs,
    clock: systemClock,
    metrics,
    probe: httpProbe(operator.outbound),
    ...instanceSettingsFromEnv(),
    watches: new HeldWatches(),
    operator,
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
    operator,
  });
};

/** Builds the Probot app function with the given dependencies (tests pass fakes). */
export const createApp =
  (deps: AppDeps = defaultDeps()) =>
  (app: Probot): void => {
    for (const r of routes) {
      const { event, handle } = r;
      app.on(event, async (context) => {
        // Another route of the same event may be why this delivery came through.
        if (!routeAccepts(r, context.payload)) return;
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

/**
 * What `npx probot run ./lib/index.js` loads (Probot's own way to run an app): the same routes,
 * `GET /healthz` and `GET /metrics` through Probot's `addHandler`, and the resume of rollouts a
 * previous run left in progress. Dependencies are built when Probot loads the app, after it
 * has read `.env`. `npm start` (src/main.ts) is the production way: it adds the webhook
 * prefilter and the graceful stop that hands rollouts over on SIGTERM.
 */
const probotRunApp = (app: Probot, options?: Partial<ApplicationFunctionOptions>): void => {
  const deps = defaultDeps();
  deps.appId ??= Number(process.env.APP_ID) || undefined;
  createApp(deps)(app);
  const metrics = deps.metrics as Partial<Parameters<typeof serveMetrics>[0]>;
  options?.addHandler?.(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return true;
    }
    if (metrics.metrics && metrics.contentType)
      return serveMetrics(metrics as Parameters<typeof serveMetrics>[0], req, res);
    return false;
  });
  resumeDeploys(app, deps, app.log);
};

export default probotRunApp;
