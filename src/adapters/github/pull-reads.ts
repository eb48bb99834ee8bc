import type { RepoRef } from "../../domain/repo-ref.js";
import type { Octokit } from "./octokit.js";

/**
 * A pull request's state, body, branches, labels and merge, as `GET /repos/{owner}/{repo}/pulls/{n}`
 * answers them (https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request).
 */
export const getPull = async (octokit: Octokit, repo: RepoRef, number: number) => {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return {
    number: data.number,
    state: data.state,
    body: data.body,
    head: { ref: data.head.ref, sha: data.head.sha, repo: data.head.repo ? { id: data.head.repo.id } : null },
    base: { ref: data.base.ref, repo: { id: data.base.repo.id } },
    labels: data.labels.map((label) => ({ name: label.name })),
    title: data.title,
    url: data.html_url,
    merged: data.merged,
    mergeSha: data.merge_commit_sha,
  };
};
