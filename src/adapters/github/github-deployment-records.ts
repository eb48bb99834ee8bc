/** DeploymentRecords on the GitHub Deployments API. */
import { parseDeployPayload } from "../../domain/deploy/deploy-payload.js";
import { type AppIdentity, decideRecordOrigin } from "../../domain/deploy/record-origin.js";
import type {
  CreateDeploymentResult,
  DeploymentRecord,
  DeploymentRecords,
  DeploymentState,
  NewDeployment,
} from "../../ports/deployments.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

interface RawDeployment {
  id: number;
  environment: string;
  ref: string;
  task: string;
  created_at: string;
  creator: { login: string; type?: string } | null;
  performed_via_github_app?: { id: number } | null;
  payload: unknown;
}

/**
 * Who may be believed: records this App did not create are skipped by every read (see
 * record-origin.ts), whatever their payload says, and each one skipped is reported.
 */
export interface RecordTrust {
  /** This App's id and slug (resolved once, see app-identity.ts). */
  self(): Promise<AppIdentity>;
  ignored(record: { id: number; environment: string; creator: string }, reason: string): void;
}

/** Pages of 100 read at most while looking for this App's records among others' (per list). */
const MAX_PAGES = 3;

export class GitHubDeploymentRecords implements DeploymentRecords {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    private readonly trust: RecordTrust,
  ) {}

  /** Whether this App created the record; a record it did not is reported and skipped. */
  private async isOurs(d: RawDeployment): Promise<boolean> {
    const origin = decideRecordOrigin(
      {
        login: d.creator?.login ?? "",
        type: d.creator?.type ?? "",
        viaAppId: d.performed_via_github_app?.id ?? undefined,
      },
      await this.trust.self(),
    );
    if (origin.kind === "ours") return true;
    this.trust.ignored(
      { id: d.id, environment: d.environment, creator: d.creator?.login ?? "" },
      origin.reason,
    );
    return false;
  }

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

  /**
   * This App's records, newest first. Others' records (a workflow's, a person's, another app's)
   * share the list and environment names, so the list is read by pages of 100 and filtered
   * before any record's statuses are read, until `limit` of ours are found.
   */
  async list(options: { environment?: string; limit: number }): Promise<DeploymentRecord[]> {
    const own: RawDeployment[] = [];
    for (let page = 1; page <= MAX_PAGES && own.length < options.limit; page++) {
      const { data } = await this.octokit.rest.repos.listDeployments({
        ...this.repo,
        ...(options.environment ? { environment: options.environment } : {}),
        per_page: 100,
        page,
      });
      for (const d of data as RawDeployment[]) if (await this.isOurs(d)) own.push(d);
      if (data.length < 100) break;
    }
    return Promise.all(own.slice(0, options.limit).map((d) => this.toRecord(d)));
  }

  async get(id: number): Promise<DeploymentRecord | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getDeployment({ ...this.repo, deployment_id: id });
      if (!(await this.isOurs(data as RawDeployment))) return undefined;
      return await this.toRecord(data as RawDeployment);
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
    }
  }
}
