/** GitHub Actions workflows and their runs (https://docs.github.com/en/rest/actions/workflows, /workflow-runs). */
import type { RepoRef } from "../../domain/repo-ref.js";
import type { WorkflowRunLink, WorkflowRunState, Workflows } from "../../ports/workflows.js";
import type { Octokit } from "./octokit.js";

export class GitHubWorkflows implements Workflows {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async findWorkflowRun(workflow: string, headSha: string): Promise<WorkflowRunLink | undefined> {
    // The repository-wide list, filtered by path: the per-workflow list answers 404 (undeclared)
    // for a workflow that never ran.
    const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({
      ...this.repo,
      head_sha: headSha,
      per_page: 100,
    });
    const run = data.workflow_runs.find((r) => r.path === `.github/workflows/${workflow}`);
    return run ? { id: run.id, url: run.html_url } : undefined;
  }

  /**
   * With `return_run_details`, GitHub answers 200 with the run it started instead of 204
   * (https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event);
   * a GitHub that does not know the parameter still answers 204, and the run is looked up.
   */
  async dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<WorkflowRunLink | undefined> {
    const response = await this.octokit.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      { ...this.repo, workflow_id: workflow, ref, inputs, return_run_details: true },
    );
    const data = response.data as { workflow_run_id?: number; html_url?: string } | undefined;
    return data?.workflow_run_id && data.html_url
      ? { id: data.workflow_run_id, url: data.html_url }
      : undefined;
  }

  async listDispatchedRuns(workflow: string): Promise<WorkflowRunLink[]> {
    const { data } = await this.octokit.rest.actions.listWorkflowRuns({
      ...this.repo,
      workflow_id: workflow,
      event: "workflow_dispatch",
      per_page: 30,
    });
    return data.workflow_runs.map((r) => ({ id: r.id, url: r.html_url }));
  }

  async getWorkflowRun(id: number): Promise<WorkflowRunState> {
    const { data } = await this.octokit.rest.actions.getWorkflowRun({ ...this.repo, run_id: id });
    return { url: data.html_url, status: data.status ?? "", conclusion: data.conclusion };
  }
}
