// Deployments and their statuses, with GitHub's auto_merge and required_contexts checks.
import { emit } from "../events.js";
import { appJson, HTML, nodeId, repoApi, userJson } from "../payloads.js";
import { HttpError, notFound, ok, paginate, register, repoOf, str, type Ctx } from "../router.js";
import type { Deployment, DeploymentStatus, Repo, World } from "../state.js";
import { resolveCommitish } from "./commits.js";
import { writeRef } from "../events.js";
import { personFor } from "../git-person.js";

export function deploymentJson(world: World, repo: Repo, d: Deployment): Record<string, unknown> {
  const url = `${repoApi(world, repo)}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId("Deployment", d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(world, d.creator),
    // The App behind an installation token's record; a person's record has none. GitHub's schema
    // (`deployment.performed_via_github_app`, nullable-integration) does not require the field.
    ...(d.viaApp ? { performed_via_github_app: appJson(world, d.viaApp) } : {}),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: repoApi(world, repo),
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  };
}

export function deploymentStatusJson(
  world: World,
  repo: Repo,
  d: Deployment,
  s: DeploymentStatus,
): Record<string, unknown> {
  const url = `${repoApi(world, repo)}/deployments/${d.id}`;
  return {
    url: `${url}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId("DeploymentStatus", s.id),
    state: s.state,
    creator: userJson(world, s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: url,
    repository_url: repoApi(world, repo),
    ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
    ...(s.logUrl ? { log_url: s.logUrl } : {}),
  };
}

async function autoMerge(ctx: Ctx, repo: Repo, ref: string): Promise<string | undefined> {
  const branchRef = `refs/heads/${ref}`;
  const head = await repo.git.readRef(branchRef);
  const base = await repo.git.readRef(`refs/heads/${repo.defaultBranch}`);
  if (!head || !base || ref === repo.defaultBranch || (await repo.git.isAncestor(base, head)))
    return undefined;
  const tree = await repo.git.mergeTree(head, base);
  if (!tree) throw new HttpError(409, `Conflict merging ${repo.defaultBranch} into ${ref}.`);
  const person = personFor(ctx.world, ctx.actor, undefined);
  const sha = await repo.git.commitTree(
    tree,
    [head, base],
    `Merge ${repo.defaultBranch} into ${ref}`,
    person,
  );
  await writeRef(ctx, repo, ctx.actor, branchRef, sha);
  return sha;
}

function failingContexts(repo: Repo, sha: string, required: string[] | undefined): string[] {
  const contexts = required ?? [
    ...new Set([
      ...repo.statuses.filter((s) => s.sha === sha).map((s) => s.context),
      ...repo.checkRuns.filter((r) => r.headSha === sha).map((r) => r.name),
    ]),
  ];
  return contexts.filter((c) => {
    const status = repo.statuses.filter((s) => s.sha === sha && s.context === c).at(-1);
    const run = repo.checkRuns.filter((r) => r.headSha === sha && r.name === c).at(-1);
    return (
      status?.state !== "success" &&
      !(run?.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? ""))
    );
  });
}

async function createDeployment(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = str(ctx.body.ref, "ref");
  if (!(await resolveCommitish(repo, ref))) throw new HttpError(422, `No ref found for: ${ref}`);
  if (ctx.body.auto_merge !== false) {
    const merged = await autoMerge(ctx, repo, ref);
    if (merged) return ok({ message: `Auto-merged ${repo.defaultBranch} into ${ref} on deployment.` }, 202);
  }
  const sha = (await resolveCommitish(repo, ref))!;
  const failing = failingContexts(repo, sha, ctx.body.required_contexts as string[] | undefined);
  if (failing.length > 0) {
    throw new HttpError(409, `Conflict: Commit status checks failed for ${ref}.`, {
      errors: [
        {
          contexts: failing.map((context) => ({ context, state: "pending" })),
          resource: "Deployment",
          field: "required_contexts",
        },
      ],
    });
  }
  const environment = (ctx.body.environment as string | undefined) ?? "production";
  const payload =
    typeof ctx.body.payload === "string"
      ? (JSON.parse(ctx.body.payload || "{}") as unknown)
      : (ctx.body.payload ?? {});
  const d: Deployment = {
    id: ctx.world.nextId(),
    sha,
    ref,
    task: (ctx.body.task as string | undefined) ?? "deploy",
    environment,
    payload,
    description: (ctx.body.description as string | undefined) ?? null,
    creator: ctx.actor,
    viaApp: ctx.viaApp,
    createdAt: ctx.world.now(),
    productionEnvironment:
      (ctx.body.production_environment as boolean | undefined) ?? environment === "production",
    transientEnvironment: (ctx.body.transient_environment as boolean | undefined) ?? false,
    statuses: [],
  };
  repo.deployments.push(d);
  emit(ctx, repo, ctx.actor, "deployment", {
    action: "created",
    deployment: deploymentJson(ctx.world, repo, d),
    workflow: null,
    workflow_run: null,
  });
  return ok(deploymentJson(ctx.world, repo, d), 201);
}

function deploymentOf(repo: Repo, id: string | undefined): Deployment {
  const d = repo.deployments.find((x) => x.id === Number(id));
  if (!d) throw notFound();
  return d;
}

function createStatus(ctx: Ctx) {
  const repo = repoOf(ctx);
  const d = deploymentOf(repo, ctx.params.deployment_id);
  const b = ctx.body;
  const s: DeploymentStatus = {
    id: ctx.world.nextId(),
    state: str(b.state, "state"),
    description: (b.description as string | undefined) ?? "",
    environment: (b.environment as string | undefined) ?? d.environment,
    // GitHub echoes "" for an unset target_url; the spec says uri, so point at the deployments page.
    targetUrl:
      (b.target_url as string | undefined) ??
      (b.log_url as string | undefined) ??
      `${HTML}/${repo.owner.login}/${repo.name}/deployments`,
    logUrl: (b.log_url as string | undefined) ?? (b.target_url as string | undefined) ?? "",
    environmentUrl: (b.environment_url as string | undefined) ?? "",
    creator: ctx.actor,
    createdAt: ctx.world.now(),
  };
  d.statuses.push(s);
  if (s.state === "success" && b.auto_inactive !== false && !d.transientEnvironment) {
    // GitHub marks earlier non-transient deployments to this environment inactive.
    for (const other of repo.deployments) {
      if (other !== d && other.environment === d.environment && other.statuses.at(-1)?.state === "success") {
        other.statuses.push({
          ...s,
          id: ctx.world.nextId(),
          state: "inactive",
          description: "",
          creator: ctx.actor,
        });
      }
    }
  }
  emit(ctx, repo, ctx.actor, "deployment_status", {
    action: "created",
    deployment_status: deploymentStatusJson(ctx.world, repo, d, s),
    deployment: deploymentJson(ctx.world, repo, d),
    // No workflow or workflow_run keys for a deployment no workflow made: the schema
    // (@octokit/webhooks-schemas `deployment_status$created`) has them optional and non-null.
  });
  return ok(deploymentStatusJson(ctx.world, repo, d, s), 201, {
    location: `${repoApi(ctx.world, repo)}/deployments/${d.id}/statuses/${s.id}`,
  });
}

register({
  "repos/create-deployment": createDeployment,
  "repos/list-deployments": (ctx) => {
    const repo = repoOf(ctx);
    const q = (k: string) => ctx.query.get(k);
    const items = [...repo.deployments]
      .reverse()
      .filter(
        (d) =>
          (!q("sha") || d.sha === q("sha")) &&
          (!q("ref") || d.ref === q("ref")) &&
          (!q("task") || d.task === q("task")) &&
          (!q("environment") || d.environment === q("environment")),
      );
    return paginate(ctx, items, `/repos/${repo.owner.login}/${repo.name}/deployments`, (page) =>
      page.map((d) => deploymentJson(ctx.world, repo, d)),
    );
  },
  "repos/get-deployment": (ctx) => {
    const repo = repoOf(ctx);
    return ok(deploymentJson(ctx.world, repo, deploymentOf(repo, ctx.params.deployment_id)));
  },
  "repos/create-deployment-status": createStatus,
  "repos/list-deployment-statuses": (ctx) => {
    const repo = repoOf(ctx);
    const d = deploymentOf(repo, ctx.params.deployment_id);
    return paginate(
      ctx,
      [...d.statuses].reverse(),
      `/repos/${repo.owner.login}/${repo.name}/deployments/${d.id}/statuses`,
      (page) => page.map((s) => deploymentStatusJson(ctx.world, repo, d, s)),
    );
  },
});
