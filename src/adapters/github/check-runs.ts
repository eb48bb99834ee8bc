import type { Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export interface CheckRunReport {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral" | "action_required";
  title: string;
  summary: string;
  externalId?: string;
}

/** Creates a completed check run on a commit. */
export const createCompletedCheckRun = async (
  octokit: Octokit,
  repo: RepoRef,
  report: CheckRunReport,
): Promise<{ id: number; url: string }> => {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: report.name,
    head_sha: report.headSha,
    status: "completed",
    conclusion: report.conclusion,
    ...(report.externalId ? { external_id: report.externalId } : {}),
    output: { title: report.title, summary: report.summary.slice(0, 65000) },
  });
  return { id: data.id, url: data.html_url ?? "" };
};
