/**
 * SmokeTests over the workflows port: dispatch the workflow on the deployed ref, find the run it
 * started (the newest dispatched run not seen before), and poll it until it completes.
 */
import type { SmokeResult, SmokeTests } from "../../ports/deployments.js";
import type { Workflows } from "../../ports/workflows.js";
import { httpStatusOf } from "./octokit.js";

export interface SmokeTestOptions {
  /** Pause between polls; tests pass a short one. */
  sleep: (ms: number) => Promise<void>;
  pollMs?: number;
}

export const createSmokeTests = (
  workflows: Pick<Workflows, "listDispatchedRuns" | "dispatchWorkflow" | "getWorkflowRun">,
  options: SmokeTestOptions,
): SmokeTests => ({
  async run(workflow, ref, inputs, timeoutMs, onRun) {
    const pollMs = options.pollMs ?? 5000;
    const rounds = Math.max(1, Math.ceil(timeoutMs / pollMs));
    let before: Set<number>;
    try {
      before = new Set((await workflows.listDispatchedRuns(workflow)).map((r) => r.id));
      await workflows.dispatchWorkflow(workflow, ref, inputs);
    } catch (e) {
      // 404: no such workflow (or no workflow_dispatch trigger); 422: the ref or inputs refused.
      if (httpStatusOf(e) === 404 || httpStatusOf(e) === 422)
        return {
          kind: "not-started",
          message: `workflow \`${workflow}\` could not be dispatched on \`${ref}\``,
        } satisfies SmokeResult;
      throw e;
    }
    let runId: number | undefined;
    let url: string | undefined;
    for (let round = 0; round < rounds; round++) {
      if (runId === undefined) {
        const fresh = (await workflows.listDispatchedRuns(workflow)).find((r) => !before.has(r.id));
        runId = fresh?.id;
        url = fresh?.url;
        if (fresh && onRun) await onRun(fresh.url);
      }
      if (runId !== undefined) {
        const run = await workflows.getWorkflowRun(runId);
        url = run.url;
        if (run.status === "completed")
          return run.conclusion === "success"
            ? { kind: "passed", url }
            : { kind: "failed", url, conclusion: run.conclusion ?? "unknown" };
      }
      await options.sleep(pollMs);
    }
    return { kind: "timed-out", url };
  },
});
