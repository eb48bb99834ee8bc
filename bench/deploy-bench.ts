import { startEndToEnd } from "../sandbox/harness/e2e.js";
import { appRequests, breakdown, type CallBreakdown } from "./api-calls.js";
import { quantile, round } from "./stats.js";

export interface DeployFigures {
  deploy: CallBreakdown | null;
  rollback: CallBreakdown | null;
  /** From the `/rollback` comment to the cluster's Deployment carrying the old image, p50 of runs. */
  rollbackToPatchP50Ms: number | null;
  rollbackRuns: number;
  note: string;
}

/**
 * `/deploy staging` and `/rollback staging` through the real app, the sandbox GitHub and the
 * fake cluster: API calls of the whole flow (comment, background rollout, the events it causes),
 * and how soon a rollback reaches the cluster.
 */
export const benchDeploy = async (rollbackRuns = 7): Promise<DeployFigures> => {
  const e2e = await startEndToEnd({ kubernetes: true });
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const image = () =>
    e2e.cluster?.getDeployment("ml-staging", "bankchurn")?.spec.template.spec.containers[0]?.image ?? "";
  const say = async (body: string) => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, "maintainer", { title: body });
    await e2e.sandbox.settled();
    e2e.sandbox.resetRequests();
    const started = performance.now();
    e2e.sandbox.comment(e2e.repo, issue, "maintainer", body);
    return { issue, started };
  };
  const finish = async (issue: number, expected: string) => {
    await e2e.settle({ timeoutMs: 60_000 });
    const last = e2e.sandbox.issue(e2e.repo, issue).comments.at(-1)?.body ?? "";
    if (!last.includes(expected)) throw new Error(`bench deploy: expected "${expected}", got: ${last}`);
    return breakdown(appRequests(e2e.sandbox.requests));
  };
  try {
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    for (const v of ["1.2.0", "1.2.1"])
      await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${v}`, sha: main ?? "" });
    const first = await say("/deploy staging 1.2.0");
    const deploy = await finish(first.issue, "succeeded");
    let rollback: CallBreakdown | null = null;
    const patchMs: number[] = [];
    for (let run = 0; run < rollbackRuns; run++) {
      const up = await say(`/deploy staging 1.2.1`);
      await finish(up.issue, "succeeded");
      const back = await say("/rollback staging 1.2.0");
      // Polled on the event loop the app shares: the figure is end to end, in one process.
      while (!image().endsWith(":1.2.0")) await new Promise((r) => setTimeout(r, 1));
      patchMs.push(performance.now() - back.started);
      const calls = await finish(back.issue, "rolled back");
      rollback ??= calls;
    }
    return {
      deploy,
      rollback,
      rollbackToPatchP50Ms: round(quantile(patchMs, 0.5)),
      rollbackRuns,
      note: "sample monorepo, 3 services in ml-staging on the fake cluster",
    };
  } finally {
    await e2e.close();
  }
};
