import { checklistCheckNames } from "../../domain/checklist/gate-names.js";
import type { CheckRunOutput } from "../../domain/checklist/render-check-run-output.js";
import type { CheckRunWriter, StoredCheckRun } from "../../ports/checklist.js";
import { describeFailure } from "./checklist-mappers.js";
import type { Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

interface GitHubRun {
  id: number;
  name: string;
  external_id: string | null;
  html_url: string | null;
  status: string;
  app?: { id: number } | null;
}

const stored = (r: GitHubRun): StoredCheckRun => ({
  id: r.id,
  name: r.name,
  externalId: r.external_id,
  url: r.html_url ?? undefined,
  completed: r.status === "completed",
});

const fields = (run: CheckRunOutput) => ({
  name: run.name,
  status: run.status,
  ...(run.conclusion ? { conclusion: run.conclusion } : {}),
  external_id: run.externalId,
  output: run.output,
});

/**
 * The CheckRunWriter port on the Checks API. `appId` (this GitHub App's id) tells our runs
 * from another app's runs of the same name; without it, our check names alone decide.
 */
export const createChecklistCheckRuns = (
  octokit: Octokit,
  repo: RepoRef,
  options: { appId?: number } = {},
): CheckRunWriter => ({
  async listOwn(sha) {
    try {
      const names = new Set(checklistCheckNames());
      const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
        ...repo,
        ref: sha,
        filter: "latest",
        per_page: 100,
        ...(options.appId !== undefined ? { app_id: options.appId } : {}),
      });
      return (runs as GitHubRun[])
        .filter((r) => names.has(r.name) && (options.appId === undefined || r.app?.id === options.appId))
        .map(stored);
    } catch (e) {
      throw describeFailure("listing checklist check runs", e);
    }
  },
  async create(sha, run) {
    try {
      const { data } = await octokit.rest.checks.create({ ...repo, head_sha: sha, ...fields(run) });
      return stored(data);
    } catch (e) {
      throw describeFailure(`creating check run ${run.name}`, e);
    }
  },
  async update(id, run) {
    try {
      const { data } = await octokit.rest.checks.update({ ...repo, check_run_id: id, ...fields(run) });
      return stored(data);
    } catch (e) {
      throw describeFailure(`updating check run ${run.name}`, e);
    }
  },
});
