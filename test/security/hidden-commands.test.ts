import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

// Attack 6 of the security issue, replayed through the real app (signed webhooks, the sandbox
// GitHub, the fake cluster): a command GitHub does not show is not a command. Each step goes
// through the sandbox's git; on a loaded machine that takes longer than Jest's default.
jest.setTimeout(180_000);

const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const DEPLOY = "/deploy staging 1.2.0";

describe("hidden commands run nothing", () => {
  let e2e: EndToEnd;
  const say = async (user: string, body: string): Promise<string[]> => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: "release notes" });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    await e2e.settle();
    return e2e.repliesTo(issue, user);
  };
  const deployments = async () =>
    (await e2e.admin.rest.repos.listDeployments({ ...repoRef, environment: "staging" })).data;

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  // The shapes of the issue's report, as a maintainer would paste them into a comment.
  it.each([
    ["a ~~~ fence holding ``` lines", `Logs:\n\n~~~\n\`\`\`\n${DEPLOY}\n\`\`\`\n~~~\n`],
    ["a four-backtick fence holding ```", `\`\`\`\`md\n\`\`\`\n${DEPLOY}\n\`\`\`\n\`\`\`\`\n`],
    ["an HTML comment, invisible on GitHub", `Looks good.\n\n<!--\n${DEPLOY}\n-->\n`],
    ["a one-line HTML comment", `<!-- ${DEPLOY} -->`],
    ["a <details> block", `<details>\n${DEPLOY}\n</details>`],
    ["a block quote", `> ${DEPLOY}\n\nQuoting the runbook.`],
    ["indented code", `Run:\n\n    ${DEPLOY}\n`],
  ])("%s: no Deployment, no reply", async (_, body) => {
    const replies = await say("developer", body);
    expect(replies).toEqual([]);
    expect(await deployments()).toEqual([]);
  });

  it("still takes a command GitHub shows after a closed fence (one reply, the lock taken)", async () => {
    const replies = await say("maintainer", `\`\`\`\n${DEPLOY}\n\`\`\`\n/lock staging freeze`);
    expect(replies.at(-1)).toContain("🔒 `staging` is locked by @maintainer: `freeze`");
    expect(await deployments()).toEqual([]);
    await say("maintainer", "/unlock staging");
  });
});
