import type { Command } from "./command.js";
import type { PermissionLevel } from "./permission.js";
import { findCommandSpec } from "./command-specs.js";

export interface PermissionSettings {
  /** `commands.<name>.permission` from config. */
  command?: PermissionLevel;
  /** The environment's own `permission` from config, for commands that act on one. */
  environment?: PermissionLevel;
}

/**
 * The permission a command needs: the environment's setting when it has one (production
 * defaults to maintain) for commands that change something, else the command's setting, else
 * the command's default.
 */
export const requiredPermission = (
  command: Command | Pick<Command, "name">,
  settings: PermissionSettings,
): PermissionLevel => {
  const spec = findCommandSpec(command.name);
  // A command that only reads (`/status`) is not raised to the environment's level.
  const environment = spec?.readOnly ? undefined : settings.environment;
  return environment ?? settings.command ?? spec?.permission ?? "admin";
};
