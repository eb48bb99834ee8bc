import { RefRefusedError } from "../ports/ref-refused.js";
import type { Context } from "probot";
import { loadConfig } from "../config/load-config.js";
import { type Command, environmentOf } from "../domain/commands/command.js";
import { type ParseResult, parseCommand } from "../domain/commands/parse-command.js";
import { hasPermission, type PermissionLevel } from "../domain/commands/permission.js";
import { isSuccess, type Outcome, outcome } from "../domain/outcome.js";
import type { AppDeps } from "./app-deps.js";
import type { TypedHandler } from "./routes.js";
import type { CommandContext, CommandRunner } from "../use-cases/command-context.js";
import { permissionFor } from "../use-cases/show-help.js";
import { renderUserText } from "../domain/user-text.js";
import { describeFailure } from "./describe-failure.js";

type CommentContext = Context<"issue_comment.created">;

/** A comment's command line, parsed once: what the route hands the handler. */
export type CommentCommand = Exclude<ParseResult, { kind: "none" }>;

/** Reads a command needs, started while the 👀 reaction is being added (they change nothing). */
interface EarlyReads {
  config: ReturnType<typeof loadConfig>;
  permission: Promise<PermissionLevel> | undefined;
}

const startReads = (base: Omit<CommandContext, "config">, command: Command): EarlyReads => {
  const reads: EarlyReads = {
    // Permissions and environments are policy: the default branch's config (no ref), never a
    // branch's or a PR's, whoever comments.
    config: loadConfig(base.ports.readFile, base.repo),
    permission: command.name === "help" ? undefined : base.ports.threads.permissionOf(base.actor),
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
  const runner = deps.commands[command.name] as CommandRunner;
  // `/help` is always on and needs no permission.
  if (command.name === "help") return runner({ ...base, config }, command);
  if (!config.commands[command.name].enabled) {
    return outcome(
      "not-enabled",
      `\`/${command.name}\` is turned off in this repository's release-pilot config.`,
    );
  }
  const needed = permissionFor(config, command);
  const actual = await (reads.permission ?? base.ports.threads.permissionOf(base.actor));
  if (!hasPermission(actual, needed)) {
    const where = environmentOf(command) ? ` on \`${environmentOf(command)}\`` : "";
    return outcome(
      "refused-permission",
      `@${base.actor}, \`/${command.name}\`${where} needs the **${needed}** permission on this repository; you have **${actual}**.`,
    );
  }
  return runner({ ...base, config }, command);
};

/**
 * Only a person's comment with a slash-command line can lead to an API call: the comment's
 * command, parsed once here (the webhook pre-filter asks the same function), or undefined.
 */
export const readIssueComment = ({
  comment,
  sender,
}: CommentContext["payload"]): CommentCommand | undefined => {
  if (sender.type === "Bot" || comment.user?.type === "Bot") return undefined;
  const parsed = parseCommand(comment.body);
  return parsed.kind === "none" ? undefined : parsed;
};

/**
 * `issue_comment.created`: the one place where slash commands are guarded. Comments that
 * hold no command, and comments by bots (this app included), never get here (see the route).
 */
export const handleIssueComment = async (
  deps: AppDeps,
  context: CommentContext,
  parsed: CommentCommand,
): Promise<void> => {
  const { comment, issue, sender } = context.payload;
  const ports = deps.portsFor(context);
  const base = {
    ports,
    repo: ports.repo,
    repoUrl: context.payload.repository.html_url,
    issue: { number: issue.number, title: issue.title, isPullRequest: issue.pull_request !== undefined },
    commentId: comment.id,
    actor: sender.login,
    log: context.log,
    deliveryId: context.id,
  };
  // A command's reads start at once; a bad command only needs its reply.
  const taken = parsed.kind === "command" ? { ...parsed, reads: startReads(base, parsed.command) } : parsed;
  // The 👀 reaction doubles as the record that this comment was taken: a redelivered webhook
  // finds it already there (GitHub answers 200, not 201) and changes nothing.
  if (!(await ports.threads.addReaction(comment.id, "eyes"))) {
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
  if (result.message) await ports.threads.postComment(issue.number, result.message);
  if (result.reason !== "in-progress") {
    await ports.threads.addReaction(comment.id, isSuccess(result) ? "rocket" : "confused");
  }
};

/** The comment route's module: its exact reading (the Markdown parse) and its handler. */
export const issueComment: TypedHandler<"issue_comment.created", CommentCommand> = {
  read: readIssueComment,
  handle: handleIssueComment,
};
