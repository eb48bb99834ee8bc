/**
 * SmokeTests on GitHub Actions: dispatch the workflow on the deployed ref, find the run it
 * started (the newest dispatch run not seen before), and poll it until it completes.
 */
import type { SmokeResult, SmokeTests } from "../../ports/deployments.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export interface SmokeTestOptions {
  /** Pause between polls; tests pass a short one. */
  sleep: (ms: number) => Promise<void>;
  pollMs?: number;
}

export class GitHubSmokeTests implements SmokeTests {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    private readonly options: SmokeTestOptions,
  ) {}

  private async runIds(workflow: string): Promise<Set<number>> {
    const { data } = await this.octokit.rest.actions.listWorkflowRuns({
      ...this.repo,
      workflow_id: workflow,
      event: "workflow_dispatch",
      per_page: 30,
    });
    return new Set(data.workflow_runs.map((r) => r.id));
  }

  async run(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
    timeoutMs: number,
    onRun?: (url: string) => Promise<void>,
  ): Promise<SmokeResult> {
    const pollMs = this.options.pollMs ?? 5000;
    const rounds = Math.max(1, Math.ceil(timeoutMs / pollMs));
    let before: Set<number>;
    try {
      before = await this.runIds(workflow);
      await this.octokit.rest.actions.createWorkflowDispatch({
        ...this.repo,
        workflow_id: workflow,
        ref,
        inputs,
      });
    } catch (e) {
      if (httpStatusOf(e) === 404 || httpStatusOf(e) === 422)
        return {
          kind: "not-started",
          message: `workflow \`${workflow}\` could not be dispatched on \`${ref}\``,
        };
      throw e;
    }
    let runId: number | undefined;
    let url: string | undefined;
    for (let round = 0; round < rounds; round++) {
      if (runId === undefined) {
        const { data } = await this.octokit.rest.actions.listWorkflowRuns({
          ...this.repo,
          workflow_id: workflow,
          event: "workflow_dispatch",
          per_page: 30,
        });
        const fresh = data.workflow_runs.find((r) => !before.has(r.id));
        runId = fresh?.id;
        url = fresh?.html_url;
        if (fresh && onRun) await onRun(fresh.html_url);
      }
      if (runId !== undefined) {
        const { data: run } = await this.octokit.rest.actions.getWorkflowRun({ ...this.repo, run_id: runId });
        url = run.html_url;
        if (run.status === "completed")
          return run.conclusion === "success"
            ? { kind: "passed", url }
            : { kind: "failed", url, conclusion: run.conclusion ?? "unknown" };
      }
      await this.options.sleep(pollMs);
    }
    return { kind: "timed-out", url };
  }
}
