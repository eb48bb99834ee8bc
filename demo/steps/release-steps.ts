import { type DemoStep, expectThat } from "../demo-context.js";

/** Steps 2 and 3 of the release guide: version bump, CHANGELOG, release branch and PR. */
export const releaseSteps: DemoStep[] = [
  {
    title: "A maintainer asks for help on a new issue",
    run: async ({ sandbox, repo, memory, lastBotComment }) => {
      const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
      memory.set("issue", issue);
      sandbox.comment(repo, issue, "maintainer", "/help");
      await sandbox.settled({ timeoutMs: 120_000 });
      const reply = lastBotComment(issue);
      expectThat(reply.includes("### release-pilot commands"), "the bot did not answer /help");
      return "the bot answered with the command table";
    },
  },
  {
    title: "A reader tries /release 1.2.0 and is refused",
    run: async ({ sandbox, repo, memory, lastBotComment }) => {
      const issue = memory.get("issue") as number;
      sandbox.comment(repo, issue, "reader", "/release 1.2.0");
      await sandbox.settled({ timeoutMs: 120_000 });
      const reply = lastBotComment(issue);
      expectThat(reply.includes("needs the **write** permission"), `unexpected reply: ${reply}`);
      expectThat((await sandbox.getRef(repo, "heads/release/v1.2.0")) === undefined, "a branch was created");
      return reply;
    },
  },
  {
    title: "The maintainer comments /release 1.2.0",
    run: async ({ sandbox, repo, memory, lastBotComment }) => {
      const issue = memory.get("issue") as number;
      sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
      await sandbox.settled({ timeoutMs: 120_000 });
      const reply = lastBotComment(issue);
      expectThat(reply.includes("Release **v1.2.0** is cut"), `unexpected reply: ${reply}`);
      const pyproject = await sandbox.getFile(repo, "release/v1.2.0", "BankChurn-Predictor/pyproject.toml");
      expectThat(pyproject?.includes('version = "1.2.0"') === true, "pyproject.toml was not bumped");
      const changelog = await sandbox.getFile(repo, "release/v1.2.0", "CHANGELOG.md");
      const section = /## \[1\.2\.0\][\s\S]*?(?=\n## \[)/.exec(changelog ?? "")?.[0] ?? "";
      expectThat(section.includes("### Added"), "the CHANGELOG has no 1.2.0 section");
      const pull = sandbox.pulls(repo).find((p) => p.title === "Release v1.2.0");
      expectThat(pull !== undefined, "no release PR was opened");
      memory.set("releasePull", pull?.number);
      return `${reply.split("\n")[0]}\n\n${section.trim()}`;
    },
  },
  {
    title: "The same /release comment's webhook is delivered again",
    run: async ({ sandbox, repo }) => {
      const delivery = [...sandbox.deliveries]
        .reverse()
        .find(
          (d) =>
            d.event === "issue_comment" &&
            d.action === "created" &&
            String((d.payload as { comment?: { body?: string } }).comment?.body).startsWith(
              "/release 1.2.0",
            ) &&
            (d.payload as { sender?: { login?: string } }).sender?.login === "maintainer",
        );
      expectThat(delivery !== undefined, "no delivery to redeliver");
      const pulls = sandbox.pulls(repo).length;
      sandbox.redeliver(delivery!.id);
      await sandbox.settled({ timeoutMs: 120_000 });
      expectThat(sandbox.pulls(repo).length === pulls, "a second PR was opened");
      return "nothing changed: no second branch, PR or comment";
    },
  },
];
