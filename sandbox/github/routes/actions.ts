// GitHub Actions: workflow dispatch creates a run that a test (or the demo) completes later.
import { emit, type Scope } from "../events.js";
import { HTML, liteRepoJson, nodeId, repoApi, repoJson } from "../payloads.js";
import { HttpError, notFound, ok, register, repoOf, str, unprocessable, type Ctx } from "../router.js";
import type { Artifact, Repo, User, WorkflowRun, World } from "../state.js";
import { userJson } from "../payloads.js";
import { resolveCommitish } from "./commits.js";

function workflowJson(world: World, repo: Repo, path: string, id: number): Record<string, unknown> {
  const api = `${repoApi(world, repo)}/actions/workflows/${id}`;
  return {
    id,
    node_id: nodeId("Workflow", id),
    name: path
      .split("/")
      .at(-1)!
      .replace(/\.ya?ml$/, ""),
    path,
    state: "active",
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    url: api,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/blob/${repo.defaultBranch}/${path}`,
    badge_url: `${HTML}/${repo.owner.login}/${repo.name}/workflows/${encodeURIComponent(path)}/badge.svg`,
  };
}

export async function runJson(world: World, repo: Repo, run: WorkflowRun): Promise<Record<string, unknown>> {
  const api = `${repoApi(world, repo)}/actions/runs/${run.id}`;
  const c = await repo.git.readCommit(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("WorkflowRun", run.id),
    check_suite_id: run.id + 1,
    check_suite_node_id: nodeId("CheckSuite", run.id + 1),
    previous_attempt_url: null,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflowPath,
    display_title: run.name,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: api,
    html_url: `${HTML}/${repo.owner.login}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.createdAt,
    actor: userJson(world, run.actor),
    triggering_actor: userJson(world, run.actor),
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${repoApi(world, repo)}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    workflow_url: `${repoApi(world, repo)}/actions/workflows/${run.workflowId}`,
    head_commit: {
      id: run.headSha,
      tree_id: c.tree,
      message: c.message.replace(/\n$/, ""),
      timestamp: c.committer.date,
      author: { name: c.author.name, email: c.author.email },
      committer: { name: c.committer.name, email: c.committer.email },
    },
    repository: repoJson(world, repo),
    head_repository: repoJson(world, repo),
  };
}

export function artifactJson(
  world: World,
  repo: Repo,
  a: Artifact,
  run: WorkflowRun,
): Record<string, unknown> {
  const api = `${repoApi(world, repo)}/actions/artifacts/${a.id}`;
  const expires = new Date(Date.parse(a.createdAt) + 90 * 86400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    id: a.id,
    node_id: nodeId("Artifact", a.id),
    name: a.name,
    size_in_bytes: a.zip.length,
    url: api,
    archive_download_url: `${api}/zip`,
    expired: false,
    created_at: a.createdAt,
    expires_at: expires,
    updated_at: a.createdAt,
    digest: null,
    workflow_run: {
      id: run.id,
      repository_id: repo.id,
      head_repository_id: repo.id,
      head_branch: run.headBranch,
      head_sha: run.headSha,
    },
  };
}

export async function emitRun(
  scope: Scope,
  repo: Repo,
  sender: User,
  run: WorkflowRun,
  action: string,
): Promise<void> {
  emit(scope, repo, sender, "workflow_run", {
    action,
    // Webhooks show the run's repositories short (@octokit/webhooks-schemas `repository-lite`).
    workflow_run: {
      ...(await runJson(scope.world, repo, run)),
      repository: liteRepoJson(scope.world, repo),
      head_repository: liteRepoJson(scope.world, repo),
    },
    workflow: workflowJson(scope.world, repo, run.workflowPath, run.workflowId),
  });
}

async function dispatch(ctx: Ctx) {
  const repo = repoOf(ctx);
  const idOrFile = ctx.params.workflow_id ?? "";
  const ref = str(ctx.body.ref, "ref");
  const sha = await resolveCommitish(repo, ref);
  if (!sha) throw unprocessable(`No ref found for: ${ref}`);
  const byId = [...repo.workflows.entries()].find(([, id]) => String(id) === idOrFile)?.[0];
  const path = byId ?? `.github/workflows/${idOrFile}`;
  const file = await repo.git.lookup(sha, path);
  if (!file || file.type !== "blob") throw notFound();
  const text = (await repo.git.readBlob(file.sha)).toString("utf8");
  if (!text.includes("workflow_dispatch"))
    throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
  const workflowId = repo.workflows.get(path) ?? ctx.world.nextId();
  repo.workflows.set(path, workflowId);
  const now = ctx.world.now();
  const run: WorkflowRun = {
    id: ctx.world.nextId(),
    runNumber: repo.workflowRuns.filter((r) => r.workflowId === workflowId).length + 1,
    workflowId,
    workflowPath: path,
    name:
      /^name:\s*(.+)$/m
        .exec(text)?.[1]
        ?.trim()
        .replace(/^["']|["']$/g, "") ?? path,
    event: "workflow_dispatch",
    headBranch: ref.replace(/^refs\/(heads|tags)\//, ""),
    headSha: sha,
    status: "queued",
    conclusion: null,
    inputs: (ctx.body.inputs ?? {}) as Record<string, unknown>,
    actor: ctx.actor,
    createdAt: now,
    updatedAt: now,
  };
  repo.workflowRuns.push(run);
  await emitRun(ctx, repo, ctx.actor, run, "requested");
  if (ctx.body.return_run_details === true) {
    return ok(
      {
        workflow_run_id: run.id,
        run_url: `${repoApi(ctx.world, repo)}/actions/runs/${run.id}`,
        html_url: `${HTML}/${repo.owner.login}/${repo.name}/actions/runs/${run.id}`,
      },
      200,
    );
  }
  return { status: 204 };
}

function runOf(repo: Repo, id: string | undefined): WorkflowRun {
  const run = repo.workflowRuns.find((r) => r.id === Number(id));
  if (!run) throw notFound();
  return run;
}

/** A workflow by id or file name; a file on the default branch is a workflow even before any run. */
async function workflowIdOf(repo: Repo, idOrFile: string, world: World): Promise<number> {
  if (/^\d+$/.test(idOrFile) && [...repo.workflows.values()].includes(Number(idOrFile)))
    return Number(idOrFile);
  const path = `.github/workflows/${idOrFile}`;
  const known = repo.workflows.get(path);
  if (known !== undefined) return known;
  const file = await repo.git.lookup(`refs/heads/${repo.defaultBranch}`, path);
  if (!file) throw notFound();
  const id = world.nextId();
  repo.workflows.set(path, id);
  return id;
}

async function listRuns(ctx: Ctx, workflowId?: number) {
  const repo = repoOf(ctx);
  const q = (k: string) => ctx.query.get(k);
  const runs = [...repo.workflowRuns]
    .reverse()
    .filter((r) => workflowId === undefined || r.workflowId === workflowId)
    .filter(
      (r) =>
        (!q("branch") || r.headBranch === q("branch")) &&
        (!q("event") || r.event === q("event")) &&
        (!q("head_sha") || r.headSha === q("head_sha")),
    )
    .filter((r) => !q("status") || r.status === q("status") || r.conclusion === q("status"))
    .filter((r) => !q("actor") || r.actor.login === q("actor"));
  const perPage = Math.min(Number(q("per_page") ?? 30) || 30, 100);
  const page = Math.max(Number(q("page") ?? 1) || 1, 1);
  const slice = runs.slice((page - 1) * perPage, page * perPage);
  return ok({
    total_count: runs.length,
    workflow_runs: await Promise.all(slice.map((r) => runJson(ctx.world, repo, r))),
  });
}

register({
  "actions/create-workflow-dispatch": dispatch,
  "actions/list-workflow-runs-for-repo": (ctx) => listRuns(ctx),
  "actions/list-workflow-runs": async (ctx) => {
    const repo = repoOf(ctx);
    const id = ctx.params.workflow_id ?? "";
    return listRuns(ctx, await workflowIdOf(repo, id, ctx.world));
  },
  "actions/get-workflow-run": async (ctx) => {
    const repo = repoOf(ctx);
    return ok(await runJson(ctx.world, repo, runOf(repo, ctx.params.run_id)));
  },
  "actions/list-workflow-run-artifacts": (ctx) => {
    const repo = repoOf(ctx);
    const run = runOf(repo, ctx.params.run_id);
    const name = ctx.query.get("name");
    const artifacts = repo.artifacts.filter((a) => a.runId === run.id && (!name || a.name === name));
    return ok({
      total_count: artifacts.length,
      artifacts: artifacts.map((a) => artifactJson(ctx.world, repo, a, run)),
    });
  },
  "actions/download-artifact": (ctx) => {
    const repo = repoOf(ctx);
    const a = repo.artifacts.find((x) => x.id === Number(ctx.params.artifact_id));
    if (!a) throw notFound();
    if (ctx.params.archive_format !== "zip") throw new HttpError(410, "Gone");
    return { status: 302, headers: { location: `${ctx.world.baseUrl}/_sandbox/artifacts/${a.id}.zip` } };
  },
});
