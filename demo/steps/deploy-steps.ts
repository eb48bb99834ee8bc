import { type DemoContext, type DemoStep, expectThat } from "../demo-context.js";

/** Comments on a new issue, waits for the bot and its background rollout, returns its last reply. */
const say = async (context: DemoContext, user: string, body: string): Promise<string> => {
  const { sandbox, repo } = context;
  const issue = await sandbox.openIssue(repo, user, { title: body });
  sandbox.comment(repo, issue, user, body);
  await sandbox.settled({ timeoutMs: 120_000 });
  await context.jobs.idle();
  await sandbox.settled({ timeoutMs: 120_000 });
  return context.lastBotComment(issue);
};

const image = (context: DemoContext, namespace: string, name: string) =>
  context.cluster?.getDeployment(namespace, name)?.spec.template.spec.containers[0]?.image ?? "";

/** Steps 8 and 9 of the release guide, its rollback procedure and its canary pattern. */
export const deploySteps: DemoStep[] = [
  {
    title: "A developer deploys 1.2.0 to staging",
    run: async (context) => {
      const reply = await say(context, "developer", "/deploy staging 1.2.0");
      expectThat(reply.includes("succeeded"), `unexpected reply: ${reply}`);
      expectThat(image(context, "ml-staging", "bankchurn").endsWith(":1.2.0"), "staging does not run 1.2.0");
      return reply;
    },
  },
  {
    title: "Production: refused to the developer, deployed by the maintainer",
    run: async (context) => {
      const refused = await say(context, "developer", "/deploy production 1.2.0");
      expectThat(refused.includes("needs the **maintain** permission"), `unexpected reply: ${refused}`);
      const reply = await say(context, "maintainer", "/deploy production 1.2.0");
      expectThat(reply.includes("succeeded"), `unexpected reply: ${reply}`);
      expectThat(
        image(context, "ml-production", "telecom").endsWith(":1.2.0"),
        "production does not run 1.2.0",
      );
      return `${refused}\n\n${reply}`;
    },
  },
  {
    title:
      "A broken build reaches staging: the rollout stalls and the bot rolls back to the last good revision",
    run: async (context) => {
      context.cluster?.failImages(/:1\.3\.0$/);
      const reply = await say(context, "developer", "/deploy staging 1.3.0");
      context.cluster?.healImages();
      expectThat(reply.includes("Rolled back automatically"), `unexpected reply: ${reply}`);
      expectThat(image(context, "ml-staging", "carvision").endsWith(":1.2.0"), "staging was not rolled back");
      const [owner = "", name = ""] = context.repo.split("/");
      const { data } = await context.admin.rest.issues.listForRepo({
        owner,
        repo: name,
        labels: "post-mortem",
      });
      const postMortem = data[0];
      expectThat(postMortem !== undefined, "no post-mortem issue was opened");
      return `${reply}\n\npost-mortem issue: "${postMortem?.title ?? ""}"`;
    },
  },
  {
    title: "A canary of 1.2.1 in production, then promoted",
    run: async (context) => {
      const canary = await say(context, "maintainer", "/canary production 1.2.1");
      expectThat(
        image(context, "ml-production", "bankchurn-canary").endsWith(":1.2.1"),
        "the canary does not run 1.2.1",
      );
      expectThat(
        image(context, "ml-production", "bankchurn").endsWith(":1.2.0"),
        "the main Deployment moved early",
      );
      const promoted = await say(context, "maintainer", "/promote production");
      expectThat(
        image(context, "ml-production", "bankchurn").endsWith(":1.2.1"),
        "the promotion did not happen",
      );
      const replicas = context.cluster?.getDeployment("ml-production", "bankchurn-canary")?.spec.replicas;
      expectThat(replicas === 0, "the canary was not scaled to 0");
      return `${canary}\n\n${promoted}`;
    },
  },
  {
    title: "Anyone can ask what runs where",
    run: async (context) => {
      const status = await say(context, "reader", "/status");
      expectThat(status.includes("1.2.1") && status.includes("1.2.0"), `unexpected reply: ${status}`);
      return status;
    },
  },
];
