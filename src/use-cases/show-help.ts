import type { Config } from "../config/schema.js";
import type { Command, CommandName } from "../domain/commands/command.js";
import { environmentOf } from "../domain/commands/command.js";
import { environmentPermission } from "../domain/commands/environment-permission.js";
import type { PermissionLevel } from "../domain/commands/permission.js";
import { renderHelp } from "../domain/commands/render-help.js";
import { requiredPermission } from "../domain/commands/required-permission.js";
import { type Outcome, outcome } from "../domain/outcome.js";

/** The permission a command needs in a repository: its config applied to the command's default. */
export const permissionFor = (config: Config, command: Command): PermissionLevel =>
  requiredPermission(command, {
    command: config.commands[command.name].permission,
    environment: environmentPermission(config.environments, environmentOf(command)),
  });

/** `/help [command]`: the command table (or one command's usage) with this repository's config. */
export const showHelp = (config: Config, topic?: CommandName): Promise<Outcome> =>
  Promise.resolve(
    outcome(
      "done",
      renderHelp(
        {
          isEnabled: (name) => config.commands[name].enabled,
          // A command's own level, before any environment raises it (help names no environment).
          permissionFor: (name) =>
            requiredPermission({ name }, { command: config.commands[name].permission }),
        },
        topic,
      ),
    ),
  );
