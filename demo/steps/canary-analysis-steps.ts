import { type DemoContext, type DemoStep, expectThat } from "../demo-context.js";

/** Comments on a new issue, waits for the bot and its background work, returns the issue number. */
const say = async (context: DemoContext, user: string, body: string): Promise<number> => {
  const { sandbox, repo } = context;
  const issue = await sandbox.openIssue(repo, user, { title: body });
  sandbox.comment(repo, issue, user, body);
  await context.settle({ timeoutMs: 120_000 });
  return issue;
};

const image = (context: DemoContext, name: string) =>
  context.cluster?.getDeployment("ml-production", name)?.spec.template.spec.containers[0]?.image ?? "";

const SERVICES = ["bankchurn", "carvision", "telecom"] as const;

/** What the services' canaries of `version` report to Prometheus, by seconds since now. */
const script = (context: DemoContext, version: string, successRate: [number, number][], p99: number) => {
  const start = context.deps.clock.now();
  for (const service of SERVICES) {
    const labels = { service, version, namespace: "ml-production" };
    context.prometheus?.script({ contains: "http_requests_total", labels, points: successRate, start });
    context.prometheus?.script({ contains: "histogram_quantile", labels, points: [[0, p99]], start });
  }
};

/** The newest status of the newest analysis Deployment of production's canaries. */
const analysisStatus = async (context: DemoContext) => {
  const [owner = "", repo = ""] = context.repo.split("/");
  const { data } = await context.admin.rest.repos.listDeployments({
    owner,
    repo,
    environment: "production-canary",
  });
  const newest = data[0];
  if (!newest) return undefined;
  const { data: statuses } = await context.admin.rest.repos.listDeploymentStatuses({
    owner,
    repo,
    deployment_id: newest.id,
  });
  return {
    id: newest.id,
    count: statuses.length,
    state: statuses[0]?.state,
    description: statuses[0]?.description ?? "",
  };
};

/** The release guide's canary step: "monitor metrics for 30 minutes; if healthy, promote", by the bot. */
export const canaryAnalysisSteps: DemoStep[] = [
  {
    title:
      "Production turns on canary analysis: success rate and p99 latency for 30 minutes (1.2.2 and 1.2.3 are released)",
    run: async (context) => {
      const { sandbox, repo, admin } = context;
      const config = (await sandbox.getFile(repo, "main", ".github/release-pilot.yml")) ?? "";
      const analysis =
        "    canary:\n      replicas: 1\n      analysis: { checks: [success-rate, p99-latency], interval: 5m, duration: 30m, failureLimit: 1 }\n";
      expectThat(config.includes("    canary: { replicas: 1 }\n"), "the sample config changed shape");
      await sandbox.pushCommit(repo, "admin", "main", "ci: analyse production canaries", {
        ".github/release-pilot.yml": config.replace("    canary: { replicas: 1 }\n", analysis),
      });
      const [owner = "", name = ""] = repo.split("/");
      const main = await sandbox.getRef(repo, "heads/main");
      for (const version of ["1.2.2", "1.2.3"])
        await admin.rest.git.createRef({ owner, repo: name, ref: `refs/tags/v${version}`, sha: main ?? "" });
      await context.settle({ timeoutMs: 60_000 });
      return analysis.trimEnd();
    },
  },
  {
    title:
      "A canary of 1.2.2 is analysed for 30 minutes and promoted by the bot, measured values on its Deployment",
    run: async (context) => {
      script(context, "1.2.2", [[0, 0.998]], 0.21);
      const issue = await say(context, "maintainer", "/canary production 1.2.2");
      const reply = context.lastBotComment(issue);
      expectThat(reply.includes("passed: promoted"), `unexpected reply: ${reply}`);
      expectThat(image(context, "telecom").endsWith(":1.2.2"), "production was not promoted to 1.2.2");
      expectThat(
        context.cluster?.getDeployment("ml-production", "telecom-canary")?.spec.replicas === 0,
        "canary still up",
      );
      const status = await analysisStatus(context);
      expectThat(status?.state === "success", `analysis Deployment: ${JSON.stringify(status)}`);
      expectThat(
        status?.description.includes("bankchurn success-rate 0.998 ✓") === true,
        "no measured values",
      );
      const comments = context.sandbox.issue(context.repo, issue).comments.map((c) => c.body);
      const progress = comments.find((c) => c.includes("Last measurements:")) ?? "";
      return `${progress}\n\nDeployment ${status?.id ?? "?"} (production-canary), ${status?.count ?? 0} statuses, last: ${status?.state ?? "?"} "${status?.description ?? ""}"`;
    },
  },
  {
    title:
      "A canary of 1.2.3: its error rate rises after 10 minutes, and the bot aborts it past the failure limit",
    run: async (context) => {
      script(
        context,
        "1.2.3",
        [
          [0, 0.997],
          [600, 0.93],
        ],
        0.24,
      );
      const issue = await say(context, "maintainer", "/canary production 1.2.3");
      const reply = context.lastBotComment(issue);
      expectThat(reply.includes("failed: aborted"), `unexpected reply: ${reply}`);
      expectThat(image(context, "bankchurn").endsWith(":1.2.2"), "the main Deployment moved");
      const canary = context.cluster?.getDeployment("ml-production", "bankchurn-canary");
      expectThat(canary?.spec.replicas === 0, "the canary was not scaled to 0");
      expectThat(
        image(context, "bankchurn-canary").endsWith(":1.2.2"),
        "the canary's image was not restored",
      );
      const status = await analysisStatus(context);
      expectThat(status?.state === "failure", `analysis Deployment: ${JSON.stringify(status)}`);
      expectThat(status?.description.includes("success-rate 0.93 ✗") === true, "no measured values");
      return `${reply}\n\nDeployment ${status?.id ?? "?"} (production-canary), last: ${status?.state ?? "?"} "${status?.description ?? ""}"`;
    },
  },
];
