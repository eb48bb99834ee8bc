import type { PermissionLevel } from "./permission.js";

/** The part of an environment's settings the permission rule reads. */
export interface EnvironmentPermissionSettings {
  permission?: PermissionLevel | undefined;
}

/**
 * The permission an environment asks for: its own `permission` when set, else maintain for an
 * environment named `production` (whether or not it is configured), else none of its own (the
 * command's permission applies).
 */
export const environmentPermission = (
  environments: Readonly<Record<string, EnvironmentPermissionSettings>>,
  env: string | undefined,
): PermissionLevel | undefined => {
  if (env === undefined) return undefined;
  const environment = Object.hasOwn(environments, env) ? environments[env] : undefined;
  return environment?.permission ?? (env === "production" ? "maintain" : undefined);
};
