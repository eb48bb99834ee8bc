/**
 * The repositories this App is installed on, each with an installation Octokit, for work that
 * starts without a webhook (resuming rollouts after a restart).
 */
import type { Probot } from "probot";
import type { Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

export interface InstalledRepo {
  octokit: Octokit;
  repo: RepoRef;
  repoUrl: string;
}

/** Every installed repository, or only `only` (looked up one by one). */
export async function listInstalledRepos(
  probot: Probot,
  only?: readonly RepoRef[],
): Promise<InstalledRepo[]> {
  const appOctokit = (await probot.auth()) as Octokit;
  if (only) {
    return Promise.all(
      only.map(async (repo) => {
        const { data: installation } = await appOctokit.rest.apps.getRepoInstallation({ ...repo });
        const octokit = (await probot.auth(installation.id)) as Octokit;
        const { data } = await octokit.rest.repos.get({ ...repo });
        return { octokit, repo, repoUrl: data.html_url };
      }),
    );
  }
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  const repos: InstalledRepo[] = [];
  for (const installation of installations) {
    const octokit = (await probot.auth(installation.id)) as Octokit;
    const list = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    for (const r of list)
      repos.push({ octokit, repo: { owner: r.owner.login, repo: r.name }, repoUrl: r.html_url });
  }
  return repos;
}
