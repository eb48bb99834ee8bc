import { RefRefusedError } from "../ports/ref-refused.js";
import type { Context } from "probot";
import { createGitHubPorts } from "../adapters/github/github-ports.js";
import { createRepoFileReader } from "../adapters/github/read-repo-file.js";
import { loadConfig } from "../config/load-config.js";
import type { Config } from "../config/schema.js";
import { type Command, environmentOf } from "../domain/commands/command.js";
import { parseCommand } from "../domain/commands/parse-command.js";
import { hasPermission, type PermissionLevel } from "../domain/commands/permission.js";
import { renderHelp } from "../domain/commands/render-help.js";
import { requiredPermission } from "../domain/commands/required-permission.js";
import { isSuccess, type Outcome, outcome } from "../domain/outcome.js";
import type { AppDeps } from "./app-deps.js";
import type { CommandContext, CommandRunner } from "./command-context.js";
import { environmentPermission } from "./environment-permission.js";
import { renderUserText } from "../domain/user-text.js";
import { describeFailure } from "./describe-failure.js";

type CommentContext = Context<"issue_comment.created">;

const permissionFor = (config: Config, command: Command) =>
  requiredPermission(command, {
    command: config.commands[command.name].permission,
    environment: environmentPermission(config, environmentOf(command)),
  });

/** Reads a command needs, started while the 👀 reaction is being added (they change nothing). */
interface EarlyReads {
  config: ReturnType<typeof loadConfig>;
  permission: Promise<PermissionLevel> | undefined;
}

/** The commenter's permission, read from the API (never from `author_association`). */
const permissionOf = (base: Omit<CommandContext, "config">) =>
  createGitHubPorts(base.octokit, base.repo, base.repoUrl).issues.permissionOf(base.actor);

const startReads = (deps: AppDeps, base: Omit<CommandContext, "config">, command: Command): EarlyReads => {
  const reads: EarlyReads = {
    // Permissions and environments are policy: the default branch's config (no ref), never a
    // branch's or a PR's, whoever comments.
    config: loadConfig(createRepoFileReader(base.octokit, deps.fileCache), base.repo),
    permission: command.name === "help" ? undefined : permissionOf(base),
  };
  // Awaited later, or dropped when the comment was already handled: never an unhandled rejection.
  reads.config.catch(() => undefined);
  reads.permission?.catch(() => undefined);
  return reads;
};

const runGuarded = async (
  deps: AppDeps,
  reads: EarlyReads,
  base: Omit<CommandContext, "config">,
  command: Command,
): Promise<Outcome> => {
  const loaded = await reads.config;
  if (!loaded.ok) {
    const list = loaded.errors.map((error) => `- ${renderUserText(error, { max: 500 })}`).join("\n");
    return outcome("bad-config", `The release-pilot config is not valid, so I did nothing:\n\n${list}`);
  }
  const config = loaded.config;
  const runners = deps.runners as Partial<Record<Command["name"], CommandRunner>>;
  // `/help` is answered here, by the handler itself: it has no runner and is always on.
  const isEnabled = (name: Command["name"]) =>
    name === "help" || (runners[name] !== undefined && config.commands[name].enabled);
  if (command.name === "help") {
    return outcome(
      "done",
      renderHelp(
        { isEnabled, permissionFor: (name) => permissionFor(config, { name } as Command) },
        command.topic,
      ),
    );
  }
  if (!config.commands[command.name].enabled) {
    return outcome(
      "not-enabled",
      `\`/${command.name}\` is turned off in this repository's release-pilot config.`,
    );
  }
  const needed = permissionFor(config, command);
  const actual = await (reads.permission ?? permissionOf(base));
  if (!hasPermission(actual, needed)) {
    const where = environmentOf(command) ? ` on \`${environmentOf(command)}\`` : "";
    return outcome(
      "refused-permission",
      `@${base.actor}, \`/${command.name}\`${where} needs the **${needed}** permission on this repository; you have **${actual}**.`,
    );
  }
  const runner = runners[command.name];
  if (!runner) {
    return outcome(
      "not-enabled",
      `\`/${command.name}\` is not enabled yet in this release-pilot installation.`,
    );
  }
  return runner({ ...base, config }, command);
};

/** Only a person's comment with a slash-command line can lead to an API call. */
export const acceptsIssueComment = ({ comment, sender }: CommentContext["payload"]): boolean =>
  sender.type !== "Bot" && comment.user?.type !== "Bot" && parseCommand(comment.body).kind !== "none";

/**
 * `issue_comment.created`: the one place where slash commands are guarded. Comments that
 * hold no command, and comments by bots (this app included), cost no API call.
 */
export const handleIssueComment = async (deps: AppDeps, context: CommentContext): Promise<void> => {
  const { comment, issue, sender } = context.payload;
  if (sender.type === "Bot" || comment.user?.type === "Bot") return;
  const parsed = parseCommand(comment.body);
  if (parsed.kind === "none") return;
  const repo = context.repo();
  const octokit = context.octokit as CommandContext["octokit"];
  const base = {
    octokit,
    repo,
    repoUrl: context.payload.repository.html_url,
    issue: { number: issue.number, title: issue.title, isPullRequest: issue.pull_request !== undefined },
    commentId: comment.id,
    actor: sender.login,
    log: context.log,
    deliveryId: context.id,
  };
  const { issues } = createGitHubPorts(octokit, repo, base.repoUrl);
  // A command's reads start at once; a bad command only needs its reply.
  const taken =
    parsed.kind === "command" ? { ...parsed, reads: startReads(deps, base, parsed.command) } : parsed;
  // The 👀 reaction doubles as the record that this comment was taken: a redelivered webhook
  // finds it already there (GitHub answers 200, not 201) and changes nothing.
  if (!(await issues.addReaction(comment.id, "eyes"))) {
    context.log.info({ commentId: comment.id }, "comment already handled; redelivery ignored");
    return;
  }
  let result: Outcome;
  const name = taken.kind === "command" ? taken.command.name : (taken.name ?? "unknown");
  if (taken.kind === "error") {
    result = outcome("bad-command", taken.message);
  } else {
    try {
      result = await runGuarded(deps, taken.reads, base, taken.command);
    } catch (error) {
      context.log.error({ err: error, command: name }, "command failed");
      if (error instanceof RefRefusedError) {
        // GitHub refused a branch, tag or lock ref: the error says why and what to do.
        result = outcome("failed", `\`/${name}\` failed: ${error.message}`);
      } else {
        result = outcome(
          "failed",
          `\`/${name}\` failed${describeFailure(error)}. The app's logs hold the details under delivery \`${context.id}\`.`,
        );
      }
    }
  }
  context.log.info({ command: name, reason: result.reason }, "command finished");
  deps.metrics.commandOutcome(name, result.reason);
  if (result.message) await issues.postComment(issue.number, result.message);
  if (result.reason !== "in-progress") {
    await issues.addReaction(comment.id, isSuccess(result) ? "rocket" : "confused");
  }
};
