/** DeploymentRecords on the GitHub Deployments API. */
import { parseDeployPayload } from "../../domain/deploy/deploy-payload.js";
import type {
  CreateDeploymentResult,
  DeploymentRecord,
  DeploymentRecords,
  DeploymentState,
  NewDeployment,
} from "../../ports/deployments.js";
import { type Octokit, type RepoRef, httpStatusOf } from "./octokit.js";

interface RawDeployment {
  id: number;
  environment: string;
  ref: string;
  task: string;
  created_at: string;
  creator: { login: string } | null;
  payload: unknown;
}

export class GitHubDeploymentRecords implements DeploymentRecords {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async create(d: NewDeployment): Promise<CreateDeploymentResult> {
    try {
      const response = await this.octokit.rest.repos.createDeployment({
        ...this.repo,
        ref: d.ref,
        task: d.task,
        environment: d.environment,
        description: d.description,
        auto_merge: false,
        payload: d.payload as unknown as Record<string, unknown>,
        production_environment: d.production,
        ...(d.requireGreen ? {} : { required_contexts: [] }),
      });
      if (response.status !== 201 || !("id" in response.data))
        return { kind: "refused", message: "GitHub did not create the deployment (it merged instead)" };
      return { kind: "created", id: response.data.id, url: response.data.url };
    } catch (e) {
      if (httpStatusOf(e) === 409 || httpStatusOf(e) === 422)
        return { kind: "refused", message: e instanceof Error ? e.message : String(e) };
      throw e;
    }
  }

  async setStatus(
    id: number,
    state: DeploymentState,
    options: { description?: string; environmentUrl?: string; logUrl?: string } = {},
  ): Promise<void> {
    await this.octokit.rest.repos.createDeploymentStatus({
      ...this.repo,
      deployment_id: id,
      state,
      ...(options.description ? { description: options.description.slice(0, 140) } : {}),
      ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
      ...(options.logUrl ? { log_url: options.logUrl } : {}),
    });
  }

  private async toRecord(d: RawDeployment): Promise<DeploymentRecord> {
    const { data: statuses } = await this.octokit.rest.repos.listDeploymentStatuses({
      ...this.repo,
      deployment_id: d.id,
      per_page: 100,
    });
    return {
      id: d.id,
      environment: d.environment,
      ref: d.ref,
      task: d.task,
      creator: d.creator?.login ?? "",
      createdAt: d.created_at,
      payload: parseDeployPayload(d.payload),
      state: statuses[0]?.state as DeploymentState | undefined,
      description: statuses[0]?.description ?? undefined,
      everSucceeded: statuses.some((s) => s.state === "success"),
    };
  }

  async list(options: { environment?: string; limit: number }): Promise<DeploymentRecord[]> {
    const { data } = await this.octokit.rest.repos.listDeployments({
      ...this.repo,
      ...(options.environment ? { environment: options.environment } : {}),
      per_page: Math.min(options.limit, 100),
    });
    return Promise.all(data.slice(0, options.limit).map((d) => this.toRecord(d as RawDeployment)));
  }

  async get(id: number): Promise<DeploymentRecord | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getDeployment({ ...this.repo, deployment_id: id });
      return await this.toRecord(data as RawDeployment);
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
    }
  }
}
