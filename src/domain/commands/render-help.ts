import type { CommandName } from "./command.js";
import type { PermissionLevel } from "./permission.js";
import { commandSpecs, findCommandSpec } from "./command-specs.js";

export interface HelpContext {
  /** Whether the capability behind a command is enabled in this installation. */
  isEnabled(name: CommandName): boolean;
  /** The permission a command needs in this repository (config applied). */
  permissionFor(name: CommandName): PermissionLevel;
}

/** The `/help` reply, generated from the command registry. */
export const renderHelp = (context: HelpContext, topic?: CommandName): string => {
  const spec = topic ? findCommandSpec(topic) : undefined;
  if (spec) {
    const examples = spec.examples.map((example) => `- \`${example}\``).join("\n");
    const state = context.isEnabled(spec.name) ? "" : "\n\n_Not enabled yet in this installation._";
    return (
      [
        `### \`${spec.usage}\``,
        "",
        spec.summary,
        "",
        ...(spec.details ?? []).flatMap((paragraph) => [paragraph, ""]),
        `Needs the **${context.permissionFor(spec.name)}** permission on this repository.`,
        "",
        "Examples:",
        examples,
      ].join("\n") + state
    );
  }
  const rows = commandSpecs.map((s) => {
    const enabled = context.isEnabled(s.name) ? "" : " _(not enabled yet)_";
    return `| \`${s.usage.replace(/\|/g, "\\|")}\` | ${s.summary}${enabled} | ${context.permissionFor(s.name)} |`;
  });
  return [
    "### release-pilot commands",
    "",
    "Write a command at the start of a line of an issue or pull request comment.",
    "",
    "| Command | What it does | Permission |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "`/help <command>` shows one command's usage and examples.",
  ].join("\n");
};
