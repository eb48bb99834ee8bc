import type { Command } from "../../domain/commands/command.js";
import { type Outcome, outcome } from "../../domain/outcome.js";
import type { PullFacts } from "../../domain/ship/recognize-ship-pull.js";
import type { CommandContext } from "../command-context.js";
import { shipMergedPull } from "./ship-merged-pull.js";

/**
 * `/ship` on a merged release, hotfix or revert PR: runs the ship sequence again, which reads
 * each step's result before it writes, so only the missing steps are done. On an unmerged PR or
 * any other PR it says why not, before any write.
 */
export const runShipCommand = async (
  context: CommandContext,
  _command: Extract<Command, { name: "ship" }>,
): Promise<Outcome> => {
  const { config } = context;
  const main = config.release.mainBranch;
  if (!context.issue.isPullRequest)
    return outcome(
      "bad-command",
      "`/ship` runs on a merged release or hotfix pull request, not on an issue.",
    );
  const pull = await context.ports.getPull(context.issue.number);
  const facts: PullFacts = {
    number: pull.number,
    title: pull.title ?? context.issue.title,
    body: pull.body,
    head: pull.head.ref,
    base: pull.base.ref,
    labels: pull.labels.flatMap((l) => (l.name ? [l.name] : [])),
    merged: pull.merged === true,
    sameRepo: pull.head.repo?.id !== undefined && pull.head.repo.id === pull.base.repo?.id,
  };
  if (!facts.merged || !pull.mergeSha) {
    const why =
      pull.state === "open" ? "is not merged yet: merging it ships it" : "was closed without merging";
    return outcome("bad-command", `\`/ship\` completes a merged release or hotfix PR; this one ${why}.`);
  }
  const shipped = await shipMergedPull(context.ports, {
    config,
    facts,
    url: pull.url ?? `${context.repoUrl}/pull/${pull.number}`,
    mergeSha: pull.mergeSha,
  });
  if (!shipped)
    return outcome(
      "bad-command",
      `\`/ship\` completes a merged release, hotfix or revert PR into \`${main}\`; this PR is none of them, so there is nothing to ship.`,
    );
  const { result } = shipped;
  if (result.reason === "done" || result.reason === "already-done")
    return outcome(
      result.reason,
      `🚢 Shipping is complete: ${result.message}. Every step is done; none was done twice (the comment on this PR has the links).`,
    );
  if (result.reason === "failed")
    return outcome(
      "failed",
      `Shipping stopped again: ${result.message} The progress comment on this PR lists what is done and what remains; \`/ship\` again once the cause is fixed.`,
    );
  // A tag on another commit, or a hotfix merged without a bump: told on this PR already.
  return outcome(result.reason, `Nothing was shipped: ${result.message} (see the comment on this PR).`);
};
