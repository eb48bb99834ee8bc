import type { GitHubSandbox } from "../../../sandbox/github/index.js";
import type { TestOctokit } from "../../../sandbox/harness/test-octokit.js";

/** Everything a flow can create on GitHub, in a form two runs can be compared by. */
export interface EndState {
  branches: Record<string, string>;
  tags: string[];
  releases: { tag: string; draft: boolean; body: string }[];
  pulls: { number: number; head: string; base: string; state: string }[];
  /** Per issue or PR: its state and the bodies of its comments, in order. */
  threads: Record<number, { state: string; labels: string[]; comments: string[] }>;
  deployments: number;
  workflowRuns: number;
}

const issueNumbers = (sandbox: GitHubSandbox, repo: string): number[] => {
  const numbers: number[] = [];
  for (let n = 1; ; n++) {
    try {
      sandbox.issue(repo, n);
      numbers.push(n);
    } catch {
      return numbers;
    }
  }
};

export const endState = async (
  sandbox: GitHubSandbox,
  admin: InstanceType<typeof TestOctokit>,
  repo: string,
): Promise<EndState> => {
  const [owner = "", name = ""] = repo.split("/");
  const list = await admin.paginate(admin.rest.repos.listBranches, { owner, repo: name, per_page: 100 });
  const branches = Object.fromEntries(list.map((b) => [b.name, b.commit.sha]).sort());
  const threads: EndState["threads"] = {};
  for (const n of issueNumbers(sandbox, repo)) {
    const issue = sandbox.issue(repo, n);
    threads[n] = {
      state: issue.state,
      labels: [...issue.labels].sort(),
      comments: issue.comments.map((c) => c.body),
    };
  }
  return {
    branches,
    tags: (await sandbox.listTags(repo)).sort(),
    releases: sandbox
      .releases(repo)
      .map((r) => ({ tag: r.tagName, draft: r.draft, body: r.body ?? "" }))
      .sort((a, b) => a.tag.localeCompare(b.tag)),
    pulls: sandbox.pulls(repo).map((p) => ({
      number: p.number,
      head: p.pull?.head ?? "",
      base: p.pull?.base ?? "",
      state: p.state,
    })),
    threads,
    deployments: sandbox.deployments(repo).length,
    workflowRuns: sandbox.workflowRuns(repo).length,
  };
};
