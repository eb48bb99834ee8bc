/** GitHub Actions workflows: dispatching one and following its runs. */
export interface WorkflowRunLink {
  id: number;
  url: string;
}

export interface WorkflowRunState {
  url: string;
  status: string;
  conclusion: string | null;
}

export interface Workflows {
  /** The newest run of a workflow file for a commit, if any. */
  findWorkflowRun(workflow: string, headSha: string): Promise<WorkflowRunLink | undefined>;
  /** Dispatches a workflow on `ref`: the run it started, when GitHub says which. */
  dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<WorkflowRunLink | undefined>;
  /** The newest dispatched runs of a workflow. */
  listDispatchedRuns(workflow: string): Promise<WorkflowRunLink[]>;
  getWorkflowRun(id: number): Promise<WorkflowRunState>;
}
