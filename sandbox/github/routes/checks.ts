// Check runs, check suites and commit statuses.
import { emit, simpleCommitJson, type Scope } from "../events.js";
import {
  checkRunJson,
  checkSuiteJson,
  nodeId,
  repoApi,
  repoJson,
  userJson,
  webhookSuiteOfRun,
} from "../payloads.js";
import { HttpError, notFound, ok, register, repoOf, str, unprocessable, type Ctx } from "../router.js";
import type { App, CheckRun, CheckSuite, CommitStatus, Repo, User } from "../state.js";
import { resolveCommitish } from "./commits.js";

async function branchFor(repo: Repo, sha: string): Promise<string | null> {
  const heads = await repo.git.listRefs("refs/heads/");
  return heads.find((h) => h.sha === sha)?.ref.slice("refs/heads/".length) ?? null;
}

async function suiteFor(scope: Scope, repo: Repo, app: App, sha: string): Promise<CheckSuite> {
  const found = repo.checkSuites.find((s) => s.app.id === app.id && s.headSha === sha);
  if (found) return found;
  const now = scope.world.now();
  const suite: CheckSuite = {
    id: scope.world.nextId(),
    headSha: sha,
    headBranch: await branchFor(repo, sha),
    app,
    createdAt: now,
    updatedAt: now,
    headCommit: await simpleCommitJson(repo, sha),
  };
  repo.checkSuites.push(suite);
  return suite;
}

export interface CheckRunInput {
  name: string;
  head_sha: string;
  status?: CheckRun["status"];
  conclusion?: string | null;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
  actions?: unknown[];
}

function emitRun(scope: Scope, repo: Repo, sender: User, run: CheckRun, action: string): void {
  emit(scope, repo, sender, "check_run", {
    action,
    check_run: {
      ...checkRunJson(scope.world, repo, run),
      check_suite: webhookSuiteOfRun(scope.world, repo, suiteOf(repo, run)),
    },
  });
}

function suiteOf(repo: Repo, run: CheckRun): CheckSuite {
  return repo.checkSuites.find((s) => s.id === run.suiteId)!;
}

function maybeCompleteSuite(scope: Scope, repo: Repo, sender: User, run: CheckRun): void {
  const suite = suiteOf(repo, run);
  suite.updatedAt = scope.world.now();
  const runs = repo.checkRuns.filter((r) => r.suiteId === suite.id);
  if (runs.every((r) => r.status === "completed")) {
    emit(scope, repo, sender, "check_suite", {
      action: "completed",
      check_suite: checkSuiteJson(scope.world, repo, suite, false),
    });
  }
}

function applyUpdate(scope: Scope, run: CheckRun, input: Partial<CheckRunInput>): boolean {
  const wasDone = run.status === "completed";
  if (input.name) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at) run.startedAt = input.started_at;
  if (input.output)
    run.output = {
      title: input.output.title ?? null,
      summary: input.output.summary ?? null,
      text: input.output.text ?? null,
    };
  if (input.actions) run.actions = input.actions;
  if (input.status) run.status = input.status;
  if (input.conclusion) {
    run.conclusion = input.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    if (!run.conclusion)
      throw unprocessable("Invalid request.\n\nNo conclusion given for a completed check run.");
    run.completedAt = input.completed_at ?? run.completedAt ?? scope.world.now();
  }
  return !wasDone && run.status === "completed";
}

/** Create a check run as `app` (the sandbox's app via the API, another app from actors). */
export async function createCheckRun(
  scope: Scope,
  repo: Repo,
  app: App,
  input: CheckRunInput,
): Promise<CheckRun> {
  if ((await repo.git.objectType(input.head_sha)) !== "commit")
    throw unprocessable("No commit found for SHA: " + input.head_sha);
  const suite = await suiteFor(scope, repo, app, input.head_sha);
  suite.requeued = false;
  const run: CheckRun = {
    id: scope.world.nextId(),
    suiteId: suite.id,
    name: input.name,
    headSha: input.head_sha,
    status: "queued",
    conclusion: null,
    detailsUrl: null,
    externalId: null,
    startedAt: scope.world.now(),
    completedAt: null,
    output: { title: null, summary: null, text: null },
    actions: [],
    app,
  };
  applyUpdate(scope, run, input);
  repo.checkRuns.push(run);
  emitRun(scope, repo, app.bot, run, "created");
  if (run.status === "completed") maybeCompleteSuite(scope, repo, app.bot, run);
  return run;
}

/**
 * Someone asks to re-run a check run (the Re-run button, or `POST /check-runs/{id}/rerequest`):
 * GitHub sends `check_run.rerequested` to the App that made the run only, resets its suite to
 * queued with no conclusion, and leaves the run itself as it was
 * (https://docs.github.com/en/rest/checks/runs#rerequest-a-check-run;
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run: "Only the GitHub
 * App that someone requests to re-run the check will receive the rerequested payload").
 */
export function rerequestCheckRun(scope: Scope, repo: Repo, run: CheckRun, sender: User): void {
  // Only a completed run can be re-run: the REST reference answers 422 "if the check run is not
  // rerequestable", and the rerequested payload's run and suite are completed (the schema's enums).
  if (run.status !== "completed") throw unprocessable("This check run is not rerequestable");
  if (run.app.id === scope.world.app.id) emitRun(scope, repo, sender, run, "rerequested");
  const suite = suiteOf(repo, run);
  suite.requeued = true;
  suite.updatedAt = scope.world.now();
}

export function updateCheckRun(scope: Scope, repo: Repo, run: CheckRun, input: Partial<CheckRunInput>): void {
  suiteOf(repo, run).requeued = false;
  if (applyUpdate(scope, run, input)) {
    emitRun(scope, repo, run.app.bot, run, "completed");
    maybeCompleteSuite(scope, repo, run.app.bot, run);
  }
}

export function createStatus(
  scope: Scope,
  repo: Repo,
  creator: User,
  sha: string,
  input: {
    state: CommitStatus["state"];
    context?: string;
    description?: string | null;
    target_url?: string | null;
  },
): CommitStatus {
  const now = scope.world.now();
  const status: CommitStatus = {
    id: scope.world.nextId(),
    sha,
    state: input.state,
    context: input.context ?? "default",
    description: input.description ?? null,
    targetUrl: input.target_url ?? null,
    creator,
    createdAt: now,
    updatedAt: now,
  };
  repo.statuses.push(status);
  return status;
}

function statusJson(ctx: Ctx, repo: Repo, s: CommitStatus, withCreator = true) {
  return {
    url: `${repoApi(ctx.world, repo)}/statuses/${s.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${s.creator.id}?v=4`,
    id: s.id,
    node_id: nodeId("StatusContext", s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    ...(withCreator ? { creator: userJson(ctx.world, s.creator) } : {}),
  };
}

function runOf(repo: Repo, id: string | undefined): CheckRun {
  const run = repo.checkRuns.find((r) => r.id === Number(id));
  if (!run) throw notFound();
  return run;
}

async function shaFor(repo: Repo, ref: string | undefined): Promise<string> {
  const sha = await resolveCommitish(repo, ref ?? "");
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref ?? ""}`);
  return sha;
}

register({
  "checks/create": async (ctx) => {
    const repo = repoOf(ctx);
    const input = ctx.body as unknown as CheckRunInput;
    str(input.name, "name");
    const run = await createCheckRun(ctx, repo, ctx.world.app, input);
    return ok(checkRunJson(ctx.world, repo, run), 201);
  },
  "checks/update": (ctx) => {
    const repo = repoOf(ctx);
    const run = runOf(repo, ctx.params.check_run_id);
    updateCheckRun(ctx, repo, run, ctx.body as Partial<CheckRunInput>);
    return ok(checkRunJson(ctx.world, repo, run));
  },
  "checks/get-suite": (ctx) => {
    const repo = repoOf(ctx);
    const suite = repo.checkSuites.find((s) => s.id === Number(ctx.params.check_suite_id));
    if (!suite) throw notFound();
    return ok(checkSuiteJson(ctx.world, repo, suite));
  },
  "checks/get": (ctx) => {
    const repo = repoOf(ctx);
    return ok(checkRunJson(ctx.world, repo, runOf(repo, ctx.params.check_run_id)));
  },
  "checks/list-for-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = await shaFor(repo, ctx.params.ref);
    const name = ctx.query.get("check_name");
    const status = ctx.query.get("status");
    const appId = ctx.query.get("app_id");
    let runs = repo.checkRuns.filter(
      (r) =>
        r.headSha === sha &&
        (!name || r.name === name) &&
        (!status || r.status === status) &&
        (!appId || r.app.id === Number(appId)),
    );
    if (ctx.query.get("filter") !== "all")
      runs = runs.filter((r) => runs.findLast((x) => x.name === r.name && x.app.id === r.app.id) === r);
    return ok({
      total_count: runs.length,
      check_runs: [...runs].reverse().map((r) => checkRunJson(ctx.world, repo, r)),
    });
  },
  "checks/list-for-suite": (ctx) => {
    const repo = repoOf(ctx);
    const runs = repo.checkRuns.filter((r) => r.suiteId === Number(ctx.params.check_suite_id));
    return ok({ total_count: runs.length, check_runs: runs.map((r) => checkRunJson(ctx.world, repo, r)) });
  },
  "checks/list-suites-for-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = await shaFor(repo, ctx.params.ref);
    const suites = repo.checkSuites.filter((s) => s.headSha === sha);
    return ok({
      total_count: suites.length,
      check_suites: suites.map((s) => checkSuiteJson(ctx.world, repo, s)),
    });
  },
  "checks/rerequest-run": (ctx) => {
    const repo = repoOf(ctx);
    const run = runOf(repo, ctx.params.check_run_id);
    // 403: "Forbidden if the check run ... doesn't belong to the authenticated GitHub App".
    if (ctx.viaApp && run.app.id !== ctx.viaApp.id)
      throw new HttpError(403, "This check run does not belong to the authenticated GitHub App");
    rerequestCheckRun(ctx, repo, run, ctx.actor);
    return ok({}, 201);
  },
  "checks/rerequest-suite": (ctx) => {
    const repo = repoOf(ctx);
    const suite = repo.checkSuites.find((s) => s.id === Number(ctx.params.check_suite_id));
    if (!suite) throw notFound();
    if (suite.app.id === ctx.world.app.id) {
      // The rerequested payload's suite has no rerequestable flags
      // (@octokit/webhooks-schemas `check_suite$rerequested`: additionalProperties false).
      const {
        rerequestable: _r,
        runs_rerequestable: _rr,
        ...shown
      } = checkSuiteJson(ctx.world, repo, suite, false);
      emit(ctx, repo, ctx.actor, "check_suite", { action: "rerequested", check_suite: shown });
    }
    return ok({}, 201);
  },
  "repos/create-commit-status": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.params.sha ?? "";
    if ((await repo.git.objectType(sha)) !== "commit") throw unprocessable(`No commit found for SHA: ${sha}`);
    const status = createStatus(ctx, repo, ctx.actor, sha, ctx.body as Parameters<typeof createStatus>[4]);
    return ok(statusJson(ctx, repo, status), 201);
  },
  "repos/list-commit-statuses-for-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = await shaFor(repo, ctx.params.ref);
    return ok(
      repo.statuses
        .filter((s) => s.sha === sha)
        .reverse()
        .map((s) => statusJson(ctx, repo, s)),
    );
  },
  "repos/get-combined-status-for-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = await shaFor(repo, ctx.params.ref);
    const all = repo.statuses.filter((s) => s.sha === sha);
    const latest = all.filter((s) => all.findLast((x) => x.context === s.context) === s);
    const state = latest.some((s) => s.state === "error" || s.state === "failure")
      ? "failure"
      : latest.length > 0 && latest.every((s) => s.state === "success")
        ? "success"
        : "pending";
    return ok({
      state,
      sha,
      total_count: latest.length,
      statuses: latest.map((s) => statusJson(ctx, repo, s, false)),
      repository: repoJson(ctx.world, repo),
      commit_url: `${repoApi(ctx.world, repo)}/commits/${sha}`,
      url: `${repoApi(ctx.world, repo)}/commits/${sha}/status`,
    });
  },
});
